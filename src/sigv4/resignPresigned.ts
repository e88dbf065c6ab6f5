/**
 * Produces a presigned (query-string SigV4) form of a client's request, signed with the proxy's credentials
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html), using smithy's `presign`.
 * The client's own X-Amz-* signing parameters are removed; its other parameters are kept byte for byte and
 * the new signing parameters are appended.
 *
 * Decisions:
 * - The payload is `UNSIGNED-PAYLOAD`, as S3 defines for presigned URLs, and no `X-Amz-Content-Sha256`
 *   parameter or header is sent (radosgw reads only the header and otherwise assumes UNSIGNED-PAYLOAD).
 * - Headers are signed by the same rule as resignRequest (upstreamHeaders.ts) and stay headers: smithy would
 *   hoist `x-amz-*` headers into the query by default, but the request carrying this URL is the proxy's own,
 *   which sends them as headers anyway. `host` is always signed (S3 requires it).
 * - `X-Amz-Expires` must be 1..604800 s (S3's seven-day limit); smithy would reject a longer one with a bare
 *   string rather than an Error, so it is checked here first.
 */
import type { RawHeaders } from "../http/hopByHop.ts";
import { createSigner } from "./createSigner.ts";
import type { OutgoingRequest, SigningOptions } from "./OutgoingRequest.ts";
import { UNSIGNED_PAYLOAD } from "./payloadHash.ts";
import { joinRawQuery } from "./rawQuery.ts";
import { smithyRequest } from "./smithyRequest.ts";
import { uriEncode } from "./uriEncode.ts";

export const MAX_PRESIGNED_EXPIRES = 7 * 24 * 60 * 60;

export interface ResignPresignedInput extends OutgoingRequest {
  /** Seconds the new signature stays valid (X-Amz-Expires), 1..604800. */
  readonly expiresIn: number;
}

export interface PresignedRequest {
  /** The raw query string to send: the client's non-signing parameters, then the new X-Amz-* ones. */
  readonly query: string;
  /** Headers to send with it: Host, the signed headers, then unsigned ones. No Authorization. */
  readonly headers: RawHeaders;
  readonly signedHeaders: readonly string[];
}

/** The order the new parameters are appended in (the order of the S3 documentation's example). */
const NEW_PARAMS = [
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Security-Token",
  "X-Amz-Signature",
] as const;

export async function resignPresigned(
  request: ResignPresignedInput,
  options: SigningOptions,
): Promise<PresignedRequest> {
  const { expiresIn } = request;
  if (!request.host) throw new TypeError("resignPresigned: host is empty");
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGNED_EXPIRES) {
    throw new RangeError(
      `resignPresigned: expiresIn must be 1..${MAX_PRESIGNED_EXPIRES} s, got ${expiresIn}`,
    );
  }
  // The payload hash only steers smithy's payload line (it reads this header before hoisting); never signed,
  // never sent.
  const { signed, unsigned, params, headerNames, http } = smithyRequest(request, UNSIGNED_PAYLOAD);
  const signer = createSigner(options.credentials, options.region, options.service ?? "s3");
  const out = await signer.presign(http, {
    signingDate: (options.now ?? (() => new Date()))(),
    expiresIn,
    signableHeaders: new Set(headerNames),
    unsignableHeaders: new Set(["x-amz-content-sha256"]),
    unhoistableHeaders: new Set([...headerNames, "x-amz-content-sha256"]),
  });

  const query = out.query ?? {};
  const added: string[] = [];
  for (const name of NEW_PARAMS) {
    const value = query[name];
    if (typeof value === "string") added.push(`${name}=${uriEncode(value)}`);
  }
  const kept = joinRawQuery(params);
  const headers: RawHeaders = ["Host", request.host];
  for (const [name, value] of signed) headers.push(name, value);
  headers.push(...unsigned);
  const signedHeaders = query["X-Amz-SignedHeaders"];
  return {
    query: kept ? `${kept}&${added.join("&")}` : added.join("&"),
    headers,
    signedHeaders: typeof signedHeaders === "string" ? signedHeaders.split(";") : [],
  };
}
