/**
 * The 68-byte envelope header (docs/FORMAT.md §3): the parameters that determine decryption (version,
 * algorithm suite, segment size, layout, salt) plus the key commitment. Its exact bytes are bound into the AAD
 * of every record, so it can never change after the object is written; the wrapped DEK and KEK reference live
 * outside it so re-wrapping under a new KEK leaves the ciphertext valid.
 *
 *   offset size field
 *   0      1    version            = 1
 *   1      1    suite              = 1 (AES-256-GCM records, HKDF-SHA256)
 *   2      1    segment exponent e   segment plaintext size 2^e, 12 <= e <= 20
 *   3      1    layout             = 0 single-part, 1 multipart
 *   4      32   salt                 random per object
 *   36     32   commitment           HKDF-Expand(PRK, "s3proxy/v1 commitment", 32)
 */
import { FormatError } from "./errors.ts";
import {
  COMMITMENT_LENGTH,
  ENVELOPE_HEADER_LENGTH,
  FORMAT_VERSION,
  LAYOUT_BYTE,
  type Layout,
  MAX_SEGMENT_EXPONENT,
  MIN_SEGMENT_EXPONENT,
  SALT_LENGTH,
  SUITE_AES256GCM_HKDF_SHA256,
} from "./formatConstants.ts";

export interface EnvelopeHeader {
  readonly version: typeof FORMAT_VERSION;
  readonly suite: typeof SUITE_AES256GCM_HKDF_SHA256;
  readonly segmentExponent: number;
  readonly layout: Layout;
  readonly salt: Buffer;
  readonly commitment: Buffer;
  /** The exact encoded bytes; bound into every record's AAD. */
  readonly bytes: Buffer;
}

export interface EnvelopeHeaderFields {
  segmentExponent: number;
  layout: Layout;
  salt: Uint8Array;
  commitment: Uint8Array;
}

export function isValidSegmentExponent(e: number): boolean {
  return Number.isInteger(e) && e >= MIN_SEGMENT_EXPONENT && e <= MAX_SEGMENT_EXPONENT;
}

export function encodeEnvelopeHeader(fields: EnvelopeHeaderFields): EnvelopeHeader {
  if (!isValidSegmentExponent(fields.segmentExponent)) {
    throw new RangeError(`segment exponent must be ${MIN_SEGMENT_EXPONENT}..${MAX_SEGMENT_EXPONENT}`);
  }
  if (fields.salt.byteLength !== SALT_LENGTH) throw new RangeError(`salt must be ${SALT_LENGTH} bytes`);
  if (fields.commitment.byteLength !== COMMITMENT_LENGTH) {
    throw new RangeError(`commitment must be ${COMMITMENT_LENGTH} bytes`);
  }
  const bytes = Buffer.alloc(ENVELOPE_HEADER_LENGTH);
  bytes[0] = FORMAT_VERSION;
  bytes[1] = SUITE_AES256GCM_HKDF_SHA256;
  bytes[2] = fields.segmentExponent;
  bytes[3] = LAYOUT_BYTE[fields.layout];
  bytes.set(fields.salt, 4);
  bytes.set(fields.commitment, 4 + SALT_LENGTH);
  return decodeEnvelopeHeader(bytes);
}

/**
 * Parse header bytes. The version byte is checked first (FormatUnsupportedVersion whatever the length), then
 * the suite (FormatUnsupportedAlgorithm), then the v1 length and field ranges (FormatMalformedEnvelope).
 */
export function decodeEnvelopeHeader(input: Uint8Array): EnvelopeHeader {
  const bytes = Buffer.from(input); // own copy: callers may reuse their buffer
  const version = bytes[0];
  if (version === undefined) throw new FormatError("FormatMalformedEnvelope", "envelope header is empty");
  if (version !== FORMAT_VERSION) {
    throw new FormatError("FormatUnsupportedVersion", `unsupported encryption format version ${version}`);
  }
  const suite = bytes[1];
  if (suite !== undefined && suite !== SUITE_AES256GCM_HKDF_SHA256) {
    throw new FormatError("FormatUnsupportedAlgorithm", `unsupported algorithm suite ${suite} in format v1`);
  }
  if (bytes.length !== ENVELOPE_HEADER_LENGTH) {
    throw new FormatError(
      "FormatMalformedEnvelope",
      `v1 envelope header must be ${ENVELOPE_HEADER_LENGTH} bytes, got ${bytes.length}`,
    );
  }
  const segmentExponent = bytes[2] ?? 0;
  if (!isValidSegmentExponent(segmentExponent)) {
    throw new FormatError("FormatMalformedEnvelope", `segment exponent ${segmentExponent} out of range`);
  }
  const layoutByte = bytes[3];
  let layout: Layout;
  if (layoutByte === LAYOUT_BYTE.single) layout = "single";
  else if (layoutByte === LAYOUT_BYTE.multipart) layout = "multipart";
  else throw new FormatError("FormatMalformedEnvelope", `unknown layout ${layoutByte}`);
  return {
    version: FORMAT_VERSION,
    suite: SUITE_AES256GCM_HKDF_SHA256,
    segmentExponent,
    layout,
    salt: bytes.subarray(4, 4 + SALT_LENGTH),
    commitment: bytes.subarray(4 + SALT_LENGTH, ENVELOPE_HEADER_LENGTH),
    bytes,
  };
}
