/**
 * The values `x-amz-content-sha256` may take
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html): the hex SHA-256 of the body, or a
 * marker saying how the body is (not) signed.
 */
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

export const STREAMING_PAYLOADS: ReadonlySet<string> = new Set([
  "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
  "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
  "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
]);

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** Any value S3 accepts in x-amz-content-sha256. */
export function isValidPayloadHash(value: string): boolean {
  return value === UNSIGNED_PAYLOAD || STREAMING_PAYLOADS.has(value) || SHA256_HEX.test(value);
}
