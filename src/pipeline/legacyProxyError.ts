/**
 * The S3 error for a Constellation object the proxy cannot serve (docs/LEGACY.md "Errors"): never its stored
 * bytes. No legacy KEK configured, or an object above --legacy-max-size, is a configuration matter (501, not
 * retried); a KEK that does not unwrap, malformed metadata or a body failing authentication is a broken object
 * (ProxyDecryptFailed, as for format v1); a full memory budget is retryable (503).
 */
import { ProxyError } from "../errors/ProxyError.ts";
import type { LegacyError } from "../legacy/index.ts";

export function legacyProxyError(err: LegacyError): ProxyError {
  switch (err.code) {
    case "LegacyKekMissing":
      return new ProxyError(
        "ProxyLegacyKekMissing",
        "This object was written by Constellation's s3proxy; the proxy has no legacy KEK to open it.",
        { cause: err },
      );
    case "LegacyTooLarge":
      return new ProxyError(
        "ProxyLegacyObjectTooLarge",
        "This Constellation s3proxy object is larger than the proxy reads whole (--legacy-max-size).",
        { cause: err },
      );
    case "LegacyMemoryBusy":
      return new ProxyError("ServiceUnavailable", "Too many legacy objects are being read; retry later.", {
        cause: err,
      });
    case "LegacyMetadataMalformed":
    case "LegacyUnwrapFailed":
    case "LegacyDecryptFailed":
      return new ProxyError(
        "ProxyDecryptFailed",
        "The stored object failed its integrity check and cannot be decrypted.",
        { cause: err },
      );
  }
}
