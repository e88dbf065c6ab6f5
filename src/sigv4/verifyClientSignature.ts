/**
 * Verifies a client's SigV4 signature — Authorization header or presigned query — the way S3 does, before
 * the proxy trusts anything the request says. The steps and their S3 error codes
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html):
 *
 *   1. parse (parseClientAuth.ts): AccessDenied / InvalidRequest / InvalidArgument / AuthorizationHeaderMalformed
 *   2. scope: service must be s3, region the expected one if configured: AuthorizationHeaderMalformed
 *   3. time: header auth within 15 minutes of the proxy clock: RequestTimeTooSkewed (403);
 *      presigned: not more than 15 minutes in the future ("Request is not yet valid") and not past
 *      X-Amz-Date + X-Amz-Expires ("Request has expired"): AccessDenied (403)
 *   4. every x-amz-* header present must be signed: AccessDenied (as S3: "There were headers present in the
 *      request which were not signed"); header auth needs x-amz-content-sha256: InvalidRequest
 *   5. the access key must be known: InvalidAccessKeyId (403)
 *   6. recompute (canonicalRequest.ts, signing key from src/s3body/chunkSignatures.ts) and compare in
 *      constant time: SignatureDoesNotMatch (403)
 *
 * Client identities come later; the seam is `secretFor(accessKeyId)`, which may be synchronous or async (a
 * remote identity store), returns the secret or undefined for an unknown key. The result carries everything a
 * later step needs: who signed, what they said about the body, and the signing key and seed signature that
 * aws-chunked chunk signatures chain from (ChunkSignatureChain).
 */
import { timingSafeEqual } from "node:crypto";
import { ProxyError } from "../errors/ProxyError.ts";
import { rawHeader } from "../http/hopByHop.ts";
import { deriveSigningKey, signString, type ChunkSigningContext } from "../s3body/chunkSignatures.ts";
import { canonicalPath } from "./canonicalPath.ts";
import { checkRequestTime } from "./checkRequestTime.ts";
import { canonicalHeaders, canonicalQuery, canonicalRequest, stringToSign } from "./canonicalRequest.ts";
import type { IncomingRequest } from "./IncomingRequest.ts";
import { parseClientAuth, type ClientAuth } from "./parseClientAuth.ts";
import { isValidPayloadHash, UNSIGNED_PAYLOAD } from "./payloadHash.ts";
import { splitRawQuery } from "./rawQuery.ts";

/** The secret for an access key id, or undefined when the key is unknown. */
export type ClientSecretLookup = (accessKeyId: string) => string | undefined | Promise<string | undefined>;

export interface VerifyOptions {
  readonly secretFor: ClientSecretLookup;
  /** When set, a credential scope naming another region is refused (as S3 does for the bucket's region). */
  readonly region?: string;
  /** Defaults to "s3". */
  readonly service?: string;
  readonly now?: () => Date;
}

export interface VerifiedClient {
  readonly mode: "header" | "query";
  readonly accessKeyId: string;
  readonly region: string;
  /** Lower-case names the client signed, in its order. */
  readonly signedHeaders: readonly string[];
  /**
   * What the client declared about its body: its x-amz-content-sha256 (a hex SHA-256, UNSIGNED-PAYLOAD or a
   * STREAMING-* mode) — the body itself is checked by the body decoder, not here.
   */
  readonly payloadHash: string;
  /** Timestamp, scope and seed signature for verifying aws-chunked chunk signatures. */
  readonly chunkContext: ChunkSigningContext;
  /** kSigning for this request's scope; secret material, never log it. */
  readonly signingKey: Buffer;
  /** Presigned requests: the first instant the signature is no longer valid. */
  readonly expiresAt?: Date;
}

function sameSignature(expectedHex: string, claimedHex: string): boolean {
  const a = Buffer.from(expectedHex, "hex");
  const b = /^[0-9a-f]{64}$/.test(claimedHex) ? Buffer.from(claimedHex, "hex") : Buffer.alloc(0);
  return a.length === 32 && b.length === 32 && timingSafeEqual(a, b);
}

function checkScope(auth: ClientAuth, options: VerifyOptions): void {
  const service = options.service ?? "s3";
  if (auth.service !== service) {
    throw new ProxyError(
      "AuthorizationHeaderMalformed",
      `The authorization header is malformed; incorrect service "${auth.service}". This endpoint belongs to "${service}".`,
    );
  }
  if (options.region !== undefined && auth.region !== options.region) {
    throw new ProxyError(
      "AuthorizationHeaderMalformed",
      `The authorization header is malformed; the region '${auth.region}' is wrong; expecting '${options.region}'`,
    );
  }
}

function checkAllAmzHeadersSigned(req: IncomingRequest, signed: readonly string[]): void {
  const names = new Set(signed);
  for (let i = 0; i < req.headers.length; i += 2) {
    const lower = (req.headers[i] ?? "").toLowerCase();
    if (lower.startsWith("x-amz-") && !names.has(lower)) {
      throw new ProxyError("AccessDenied", "There were headers present in the request which were not signed");
    }
  }
}

/** x-amz-content-sha256 for header auth; for presigned requests the declared value or UNSIGNED-PAYLOAD. */
function declaredPayloadHash(req: IncomingRequest, auth: ClientAuth): string {
  const header = rawHeader(req.headers, "x-amz-content-sha256")?.trim();
  let value: string | undefined = header;
  if (auth.mode === "query") {
    // SDK v3 presigners hoist it into the query (X-Amz-Content-Sha256=UNSIGNED-PAYLOAD).
    const hoisted = splitRawQuery(req.query).find((p) => p.name.toLowerCase() === "x-amz-content-sha256");
    value = hoisted?.value ?? header ?? UNSIGNED_PAYLOAD;
  }
  if (value === undefined) {
    throw new ProxyError("InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  }
  if (!isValidPayloadHash(value)) {
    throw new ProxyError(
      "InvalidArgument",
      "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, " +
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
    );
  }
  return value;
}

export async function verifyClientSignature(
  req: IncomingRequest,
  options: VerifyOptions,
): Promise<VerifiedClient> {
  const auth = parseClientAuth(req);
  checkScope(auth, options);
  const expiresAt = checkRequestTime(auth, (options.now ?? (() => new Date()))().getTime());
  checkAllAmzHeadersSigned(req, auth.signedHeaders);
  const payloadHash = declaredPayloadHash(req, auth);

  const secret = await options.secretFor(auth.accessKeyId);
  if (secret === undefined) {
    throw new ProxyError(
      "InvalidAccessKeyId",
      "The AWS Access Key Id you provided does not exist in our records.",
    );
  }
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const canonical = canonicalRequest({
    method: req.method,
    path: canonicalPath(req.path),
    query: canonicalQuery(req.query, { dropSignature: auth.mode === "query" }),
    headers: canonicalHeaders(req.headers, auth.signedHeaders),
    signedHeaders: auth.signedHeaders,
    // Presigned S3 requests always sign UNSIGNED-PAYLOAD unless the client declared a hash.
    payloadHash,
  });
  const signingKey = deriveSigningKey(secret, auth.date, auth.region, auth.service);
  const expected = signString(signingKey, stringToSign(auth.timestamp, scope, canonical));
  if (!sameSignature(expected, auth.signature)) {
    throw new ProxyError(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. " +
        "Check your key and signing method.",
    );
  }
  const verified: VerifiedClient = {
    mode: auth.mode,
    accessKeyId: auth.accessKeyId,
    region: auth.region,
    signedHeaders: auth.signedHeaders,
    payloadHash,
    chunkContext: {
      timestamp: auth.timestamp,
      scope,
      seedSignature: auth.signature,
      accessKeyId: auth.accessKeyId,
      date: auth.date,
      region: auth.region,
      service: auth.service,
    },
    signingKey,
  };
  return expiresAt ? { ...verified, expiresAt } : verified;
}
