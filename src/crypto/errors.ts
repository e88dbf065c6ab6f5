/**
 * Typed errors of the encryption format (docs/FORMAT.md §11). Every failure carries a stable string `code`
 * from CRYPTO_ERROR_CODES so the S3 layer can map it to an S3 XML error without parsing messages; the classes
 * group codes by what went wrong (envelope format, keys, ciphertext integrity, lengths/ranges/layout).
 * test/crypto/errors.test.ts fails if a code is missing from docs/FORMAT.md.
 */

export const CRYPTO_ERROR_CODES = {
  FormatUnsupportedVersion: "The envelope names a format version this build cannot read.",
  FormatUnsupportedAlgorithm: "The envelope names an algorithm suite this build cannot read.",
  FormatMalformedEnvelope:
    "Envelope metadata is present but not well-formed (encoding, length, field value).",
  KeyInvalid: "A key or key reference has the wrong length or syntax.",
  KeyUnwrapFailed: "AES key unwrap failed its integrity check: wrong KEK or corrupted wrapped DEK.",
  KeyCommitmentMismatch: "The unwrapped DEK does not match the envelope's key commitment.",
  DecryptAuthFailed: "A record failed GCM authentication: modified ciphertext, header or tag, or wrong key.",
  DecryptTruncated: "The ciphertext ends before the object or part its records describe.",
  DecryptTrailingData: "The ciphertext continues past the end its records describe.",
  DecryptSegmentMisplaced: "An authentic record sits at the wrong position (reordered, swapped or spliced).",
  LengthInvalid: "A length is impossible for the format (ciphertext size, plaintext size, segment count).",
  RangeInvalid: "A requested plaintext range lies outside the object.",
  PartNumberInvalid: "A part number does not fit the envelope's layout (0 single-part, 1..10000 multipart).",
  MultipartLayoutInvalid: "Multipart part sizes break the v1 layout rules (uniform, segment-aligned parts).",
} as const;

export type CryptoErrorCode = keyof typeof CRYPTO_ERROR_CODES;

type FormatCode = "FormatUnsupportedVersion" | "FormatUnsupportedAlgorithm" | "FormatMalformedEnvelope";
type KeyCode = "KeyInvalid" | "KeyUnwrapFailed" | "KeyCommitmentMismatch";
type DecryptCode =
  "DecryptAuthFailed" | "DecryptTruncated" | "DecryptTrailingData" | "DecryptSegmentMisplaced";
type LengthCode = "LengthInvalid" | "RangeInvalid" | "PartNumberInvalid" | "MultipartLayoutInvalid";

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CryptoError";
    this.code = code;
  }
}

/** The envelope metadata cannot be read: unknown version/suite or malformed fields. */
export class FormatError extends CryptoError {
  constructor(code: FormatCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "FormatError";
  }
}

/** Key material is unusable: bad length/syntax, failed unwrap, or a DEK that fails the commitment. */
export class KeyError extends CryptoError {
  constructor(code: KeyCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "KeyError";
  }
}

/** The ciphertext failed an integrity check; no plaintext of the failing record was released. */
export class DecryptError extends CryptoError {
  constructor(code: DecryptCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "DecryptError";
  }
}

/** A length, range, part number or part layout is impossible for the format. */
export class LengthError extends CryptoError {
  constructor(code: LengthCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "LengthError";
  }
}

/** True when `err` is a CryptoError, optionally with the given code. */
export function isCryptoError(err: unknown, code?: CryptoErrorCode): err is CryptoError {
  return err instanceof CryptoError && (code === undefined || err.code === code);
}
