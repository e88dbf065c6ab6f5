/**
 * The integrity algorithms an S3 PUT can claim over its plaintext, and one streaming digester per algorithm.
 * S3's flexible checksums (`x-amz-checksum-<alg>`, sent as a header or an aws-chunked trailer) are the base64 of
 * the big-endian CRC value or of the raw digest; `Content-MD5` is base64 MD5; `x-amz-content-sha256` is hex
 * SHA-256 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html). S3 also lists XXHASH64/XXHASH3/XXHASH128;
 * Node has no xxhash and the proxy must not forward a claim it cannot check, so those are refused (NotImplemented).
 */
import { createHash } from "node:crypto";
import { Crc32, CRC32_POLY, CRC32C_POLY } from "./crc32.ts";
import { Crc64Nvme } from "./crc64nvme.ts";

/** Digest size in bytes of every algorithm this module computes. */
export const CHECKSUM_ALGORITHMS = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
  SHA512: 64,
  MD5: 16,
} as const;

export type ChecksumAlgorithm = keyof typeof CHECKSUM_ALGORITHMS;

/** Algorithms S3 knows but this proxy cannot compute (answered with NotImplemented, never passed unchecked). */
export const UNSUPPORTED_CHECKSUM_ALGORITHMS: ReadonlySet<string> = new Set([
  "XXHASH64",
  "XXHASH3",
  "XXHASH128",
]);

/** `x-amz-checksum-*` names that are not checksum values (CreateMultipartUpload, GetObject). */
const NOT_A_CHECKSUM = new Set(["x-amz-checksum-algorithm", "x-amz-checksum-type", "x-amz-checksum-mode"]);

export interface Digester {
  update(data: Uint8Array): void;
  /** The raw digest (CRCs big-endian). Call once. */
  digest(): Buffer;
}

export function createDigester(algorithm: ChecksumAlgorithm): Digester {
  switch (algorithm) {
    case "CRC32":
      return new Crc32(CRC32_POLY);
    case "CRC32C":
      return new Crc32(CRC32C_POLY);
    case "CRC64NVME":
      return new Crc64Nvme();
    case "SHA1":
      return createHash("sha1");
    case "SHA256":
      return createHash("sha256");
    case "SHA512":
      return createHash("sha512");
    case "MD5":
      return createHash("md5");
  }
}

/** The S3 wire form (base64) of `algorithm` over `data`; for tests and small buffers. */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): string {
  const d = createDigester(algorithm);
  d.update(data);
  return d.digest().toString("base64");
}

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return Object.hasOwn(CHECKSUM_ALGORITHMS, name);
}

/** `x-amz-checksum-crc64nvme` for CRC64NVME. */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/**
 * Classifies a lowercase header or trailer name: `undefined` if it is not a checksum value at all, otherwise the
 * algorithm it carries, or `{ unsupported }` for an `x-amz-checksum-*` name this proxy cannot verify.
 */
export function checksumFromHeaderName(
  lowerName: string,
): ChecksumAlgorithm | { unsupported: string } | undefined {
  if (!lowerName.startsWith("x-amz-checksum-") || NOT_A_CHECKSUM.has(lowerName)) return undefined;
  const alg = lowerName.slice("x-amz-checksum-".length).toUpperCase();
  return isChecksumAlgorithm(alg) ? alg : { unsupported: alg };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 (padded, no whitespace) of exactly `bytes` bytes, or undefined. */
export function decodeBase64Digest(value: string, bytes: number): Buffer | undefined {
  if (!BASE64.test(value)) return undefined;
  const raw = Buffer.from(value, "base64");
  return raw.length === bytes ? raw : undefined;
}
