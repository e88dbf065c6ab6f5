/**
 * The request smithy's signer sees, shared by header signing (resignRequest.ts) and presigning
 * (resignPresigned.ts): the client's end-to-end headers split into signed and forwarded-unsigned
 * (upstreamHeaders.ts), the query without SigV4 query-auth parameters, the path as S3 canonicalises it, and the
 * `x-amz-content-sha256` that steers smithy's payload line.
 */
import { HttpRequest } from "@smithy/protocol-http";
import { canonicalPath } from "./canonicalPath.ts";
import type { OutgoingRequest } from "./OutgoingRequest.ts";
import type { RawQueryParam } from "./rawQuery.ts";
import { signableParams } from "./signableParams.ts";
import { toSmithyQuery } from "./smithyQuery.ts";
import { partitionUpstreamHeaders, type UpstreamHeaders } from "./upstreamHeaders.ts";

export interface SmithyRequest extends UpstreamHeaders {
  readonly params: RawQueryParam[];
  /** Lower-case names of host and the signed headers (x-amz-content-sha256 not included). */
  readonly headerNames: ReadonlySet<string>;
  readonly http: HttpRequest;
}

export function smithyRequest(request: OutgoingRequest, payloadHash: string): SmithyRequest {
  const { signed, unsigned } = partitionUpstreamHeaders(request.headers);
  const params = signableParams(request.query);
  const toSign: Record<string, string> = Object.create(null) as Record<string, string>;
  toSign.host = request.host;
  for (const [name, value] of signed) toSign[name.toLowerCase()] = value;
  const headerNames = new Set(Object.keys(toSign));
  toSign["x-amz-content-sha256"] = payloadHash;
  const http = new HttpRequest({
    method: request.method,
    hostname: request.host,
    path: canonicalPath(request.path),
    query: toSmithyQuery(params),
    headers: toSign,
  });
  return { signed, unsigned, params, headerNames, http };
}
