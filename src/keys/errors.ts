/**
 * Typed errors of the key providers (docs/KEYS.md "Errors"). Every failure carries a stable `code` and says
 * whether retrying can help, so the S3 layer maps it to an S3 error without parsing messages: a provider that
 * is down (KMS throttling, HSM session lost) is retryable and becomes a 503; a missing or wrong key is not.
 * Messages name the KEK reference and the key source, never key bytes (test/keys checks this for every case).
 */

export const KEY_ERROR_CODES = {
  KekNotFound:
    "The KEK reference names a scheme or key id this provider does not hold, or a KMS key that cannot be used.",
  DekUnwrapFailed: "The wrapped DEK does not unwrap under the named KEK: wrong key or corrupted wrapped DEK.",
  KeyProviderUnavailable: "The key provider cannot be reached or refused for now (throttling, network, HSM).",
  KeySourceInvalid:
    "A key source (file, directory, variable, HSM token or key, key service answer) is missing, too permissive or malformed.",
} as const;

export type KeyErrorCode = keyof typeof KEY_ERROR_CODES;

export class KeyProviderError extends Error {
  readonly code: KeyErrorCode;
  /** True when the same call may succeed later (only KeyProviderUnavailable). */
  readonly retryable: boolean;

  constructor(code: KeyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeyProviderError";
    this.code = code;
    this.retryable = code === "KeyProviderUnavailable";
  }
}

/** unwrapDek got a reference whose scheme or id this provider does not hold. */
export class KekNotFoundError extends KeyProviderError {
  readonly kekRef: string;

  constructor(kekRef: string, message: string, options?: { cause?: unknown }) {
    super("KekNotFound", message, options);
    this.name = "KekNotFoundError";
    this.kekRef = kekRef;
  }
}

/** The KEK exists but the wrapped DEK does not unwrap under it (wrong key, bit flip, truncation, context). */
export class DekUnwrapError extends KeyProviderError {
  readonly kekRef: string;

  constructor(kekRef: string, message: string, options?: { cause?: unknown }) {
    super("DekUnwrapFailed", message, options);
    this.name = "DekUnwrapError";
    this.kekRef = kekRef;
  }
}

/**
 * A transient failure of a remote provider; the caller may retry (the S3 layer answers 503). `throttled`: the
 * provider refused because of its request rate (KMS ThrottlingException), which S3 clients know as SlowDown.
 */
export class KeyProviderUnavailableError extends KeyProviderError {
  readonly throttled: boolean;

  constructor(message: string, options?: { cause?: unknown; throttled?: boolean }) {
    super("KeyProviderUnavailable", message, options?.cause === undefined ? {} : { cause: options.cause });
    this.name = "KeyProviderUnavailableError";
    this.throttled = options?.throttled ?? false;
  }
}

/** Key material could not be loaded: the message says which source and what is wrong, never the bytes. */
export class KeySourceError extends KeyProviderError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("KeySourceInvalid", message, options);
    this.name = "KeySourceError";
  }
}

/** True when `err` is a KeyProviderError, optionally with the given code. */
export function isKeyProviderError(err: unknown, code?: KeyErrorCode): err is KeyProviderError {
  return err instanceof KeyProviderError && (code === undefined || err.code === code);
}
