/**
 * Maps failures of the format module and the key providers to the proxy's S3 error codes, in one place, so
 * every pipeline handler answers the same way: a stored object that cannot be opened (tampered ciphertext,
 * envelope or wrapped DEK, unknown KEK) is ProxyDecryptFailed, a key provider that is down is 503 (retryable),
 * and a ProxyError passes through unchanged. Anything else is left to toProxyError (InternalError).
 */
import { isCryptoError } from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import { isKeyProviderError, KeyProviderUnavailableError } from "../keys/index.ts";
import { isLegacyError } from "../legacy/index.ts";
import { legacyProxyError } from "./legacyProxyError.ts";

/** `reading`: the failure happened while opening a stored object (GET/HEAD), else while writing one. */
export function toPipelineError(err: unknown, reading: boolean): unknown {
  if (err instanceof ProxyError) return err;
  // A Constellation object (docs/LEGACY.md) the proxy cannot open: an S3 error, never its stored bytes.
  if (isLegacyError(err)) return legacyProxyError(err);
  if (isKeyProviderError(err)) {
    // Retryable (KMS down, throttling): S3's own 503 codes, which SDKs retry with backoff. SlowDown is what
    // S3 answers when the request rate is too high, so clients also slow down while KMS throttles the proxy.
    if (err instanceof KeyProviderUnavailableError && err.throttled) {
      return new ProxyError(
        "SlowDown",
        "The key provider is throttling requests; reduce your request rate.",
        {
          cause: err,
        },
      );
    }
    if (err.retryable) {
      return new ProxyError("ServiceUnavailable", "The key provider is unavailable; retry later.", {
        cause: err,
      });
    }
    if (reading) {
      return new ProxyError("ProxyDecryptFailed", "The object's data key cannot be unwrapped.", {
        cause: err,
      });
    }
    return err;
  }
  if (reading && isCryptoError(err)) {
    return new ProxyError(
      "ProxyDecryptFailed",
      "The stored object failed its integrity check and cannot be decrypted.",
      { cause: err },
    );
  }
  return err;
}
