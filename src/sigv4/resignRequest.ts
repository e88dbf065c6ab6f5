/**
 * Re-signs a client's S3 request with the proxy's own credentials (header-based SigV4,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html). The proxy changes the body
 * (encryption), which invalidates the client's signature, so this is the last step before a request goes
 * upstream: the client's signature material is removed, `x-amz-content-sha256` is set to what the proxy will
 * actually send, and smithy's signer (createSigner.ts) signs host, path, query and the headers chosen by
 * upstreamHeaders.ts.
 *
 * A client request signed with query parameters (a presigned URL) can be re-signed here too: its X-Amz-*
 * signing parameters are dropped from the query and the upstream request uses the Authorization header.
 * resignPresigned.ts instead produces a new presigned query (re-exported below).
 *
 * Not handled here: `content-encoding: aws-chunked` framing and `x-amz-decoded-content-length` belong to the body
 * transform, which must leave the headers describing the bytes it sends before calling this.
 */
import type { RawHeaders } from "../http/hopByHop.ts";
import { createSigner } from "./createSigner.ts";
import type { OutgoingRequest, SigningOptions } from "./OutgoingRequest.ts";
import { isSha256Hex, UNSIGNED_PAYLOAD } from "./payloadHash.ts";
import { joinRawQuery } from "./rawQuery.ts";
import { smithyRequest } from "./smithyRequest.ts";

export { resignPresigned } from "./resignPresigned.ts";

export interface ResignRequestInput extends OutgoingRequest {
  /**
   * x-amz-content-sha256 for the bytes that will be sent: the hex SHA-256 of the (encrypted) body,
   * `UNSIGNED-PAYLOAD`, or `STREAMING-UNSIGNED-PAYLOAD-TRAILER` when the body is sent aws-chunked with an
   * unsigned trailer. Signed chunk streams would need chunk signatures made with the proxy's key: not supported.
   */
  readonly payloadHash: string;
}

export interface ResignedRequest {
  /** Every header to send upstream, in order, Host first and Authorization last. */
  readonly headers: RawHeaders;
  /** The raw query string to send: the client's, minus any SigV4 query-auth parameters. */
  readonly query: string;
  /** What the signature covers (lower-case, sorted), for logs and tests. */
  readonly signedHeaders: readonly string[];
}

const RESIGNABLE_PAYLOADS: ReadonlySet<string> = new Set([
  UNSIGNED_PAYLOAD,
  "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
]);

export async function resignRequest(
  request: ResignRequestInput,
  options: SigningOptions,
): Promise<ResignedRequest> {
  const { payloadHash } = request;
  if (!request.host) throw new TypeError("resignRequest: host is empty");
  if (!RESIGNABLE_PAYLOADS.has(payloadHash) && !isSha256Hex(payloadHash)) {
    throw new TypeError(`resignRequest: unsupported payload hash ${JSON.stringify(payloadHash)}`);
  }
  const { signed, unsigned, params, headerNames, http } = smithyRequest(request, payloadHash);
  const signer = createSigner(options.credentials, options.region, options.service ?? "s3");
  const out = await signer.sign(http, {
    signingDate: (options.now ?? (() => new Date()))(),
    signableHeaders: new Set([...headerNames, "x-amz-content-sha256"]),
  });
  const authorization = out.headers.authorization ?? "";
  const amzDate = out.headers["x-amz-date"] ?? "";
  const headers: RawHeaders = ["Host", request.host];
  for (const [name, value] of signed) headers.push(name, value);
  headers.push("x-amz-content-sha256", payloadHash, "x-amz-date", amzDate);
  const token = out.headers["x-amz-security-token"];
  if (token !== undefined) headers.push("x-amz-security-token", token);
  headers.push(...unsigned, "Authorization", authorization);
  return {
    headers,
    query: joinRawQuery(params),
    signedHeaders: /SignedHeaders=([^,\s]+)/.exec(authorization)?.[1]?.split(";") ?? [],
  };
}
