/**
 * Extracts what verifying aws-chunked chunk signatures needs from a header-signed SigV4 request: the credential
 * scope, x-amz-date and the seed signature. Format of the header:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html
 *   Authorization: AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request,
 *                  SignedHeaders=host;x-amz-date, Signature=<64 hex>
 * Only parsing happens here; checking the seed signature belongs to the SigV4 request check.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { rawHeader, type RawHeaders } from "../http/hopByHop.ts";
import type { ChunkSigningContext } from "./chunkSignatures.ts";

const TIMESTAMP = /^(\d{8})T\d{6}Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

function malformed(message: string): ProxyError {
  return new ProxyError("AuthorizationHeaderMalformed", message);
}

export function parseSigningContext(raw: RawHeaders): ChunkSigningContext {
  const auth = rawHeader(raw, "authorization")?.trim();
  if (!auth?.startsWith("AWS4-HMAC-SHA256 ")) {
    throw malformed("Signed aws-chunked uploads need an AWS4-HMAC-SHA256 Authorization header.");
  }
  const fields = new Map<string, string>();
  for (const part of auth.slice("AWS4-HMAC-SHA256 ".length).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential")?.split("/") ?? [];
  const seedSignature = fields.get("Signature") ?? "";
  const [accessKeyId, date, region, service, terminator] = credential;
  if (
    credential.length !== 5 ||
    !accessKeyId ||
    !date ||
    !region ||
    !service ||
    terminator !== "aws4_request"
  ) {
    throw malformed("The Authorization header's Credential is malformed.");
  }
  if (!SIGNATURE.test(seedSignature)) throw malformed("The Authorization header's Signature is malformed.");
  const timestamp = rawHeader(raw, "x-amz-date")?.trim() ?? "";
  const match = TIMESTAMP.exec(timestamp);
  if (!match) throw malformed("Signed aws-chunked uploads need an x-amz-date header (YYYYMMDDTHHMMSSZ).");
  if (match[1] !== date) throw malformed("The credential scope's date does not match x-amz-date.");
  return {
    timestamp,
    scope: `${date}/${region}/${service}/aws4_request`,
    seedSignature,
    accessKeyId,
    date,
    region,
    service,
  };
}
