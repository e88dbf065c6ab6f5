/**
 * Typed errors of the Constellation legacy reader (docs/LEGACY.md "Errors"). Each carries a stable `code`, so
 * the S3 pipeline and `s3proxy migrate` map them without parsing messages. Messages never hold key bytes.
 */

export const LEGACY_ERROR_CODES = {
  LegacyMetadataMalformed: "x-amz-meta-constellation-dek is not the hex of a 40-byte AES-KWP wrapped key.",
  LegacyKekMissing:
    "The object needs a legacy KEK and none is configured (and the zero-KEK fallback is off).",
  LegacyUnwrapFailed: "No configured legacy KEK unwraps the object's DEK (wrong KEK or altered metadata).",
  LegacyDecryptFailed: "The body failed AES-GCM-SIV authentication (altered, truncated, or not this DEK's).",
  LegacyTooLarge: "The object is larger than --legacy-max-size; it would have to be held in memory whole.",
  LegacyMemoryBusy: "Other legacy objects hold the memory budget for whole-object reads; retry later.",
} as const;

export type LegacyErrorCode = keyof typeof LEGACY_ERROR_CODES;

export class LegacyError extends Error {
  readonly code: LegacyErrorCode;

  constructor(code: LegacyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LegacyError";
    this.code = code;
  }
}

export function isLegacyError(err: unknown, code?: LegacyErrorCode): err is LegacyError {
  return err instanceof LegacyError && (code === undefined || err.code === code);
}
