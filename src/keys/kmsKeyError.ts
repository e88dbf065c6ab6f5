/**
 * AWS KMS failures as KeyProviderErrors (docs/KEYS.md "AWS KMS"), by the error names of the KMS API reference
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html#API_Decrypt_Errors, and the same
 * section of Encrypt, GenerateDataKey and DescribeKey):
 *
 * - throttled, retryable: ThrottlingException (KMS request quotas,
 *   https://docs.aws.amazon.com/kms/latest/developerguide/throttling.html) or HTTP 429;
 * - unavailable, retryable: KMSInternalException, DependencyTimeoutException, KeyUnavailableException ("The
 *   request can be retried"), any other 5xx/server fault, network errors and timeouts, and credentials that
 *   could not be obtained (an instance role or web identity endpoint that is down);
 * - the KEK cannot be used: NotFoundException, DisabledException, KMSInvalidStateException (pending deletion,
 *   pending import): KekNotFound;
 * - refused: InvalidCiphertextException (corrupted blob or another EncryptionContext), IncorrectKeyException,
 *   AccessDeniedException and every other client fault: DekUnwrapFailed when unwrapping, KekNotFound (the
 *   active KEK cannot be used) otherwise.
 *
 * The SDK's error is not kept as the cause: it carries the raw HTTP response. The message names the KMS error,
 * its message, HTTP status and request id (for support cases); KMS messages hold key ids, never key material.
 */
import { DekUnwrapError, KekNotFoundError, KeyProviderUnavailableError } from "./errors.ts";

export type KmsOperation = "Encrypt" | "Decrypt" | "GenerateDataKey" | "DescribeKey";

export type KmsFailure = "throttled" | "unavailable" | "key-unusable" | "refused" | "unknown";

const THROTTLED = new Set(["ThrottlingException", "ThrottledException", "TooManyRequestsException"]);
const UNAVAILABLE = new Set([
  "KMSInternalException",
  "DependencyTimeoutException",
  "KeyUnavailableException",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "CredentialsProviderError",
]);
const KEY_UNUSABLE = new Set(["NotFoundException", "DisabledException", "KMSInvalidStateException"]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

function shape(err: unknown): SdkErrorShape {
  return typeof err === "object" && err !== null ? err : {};
}

export function classifyKmsError(err: unknown): KmsFailure {
  const e = shape(err);
  const name = typeof e.name === "string" ? e.name : "";
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  if (THROTTLED.has(name) || status === 429) return "throttled";
  if (UNAVAILABLE.has(name)) return "unavailable";
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return "unavailable";
  if (KEY_UNUSABLE.has(name)) return "key-unusable";
  if (e.$fault === "server" || (status !== undefined && status >= 500)) return "unavailable";
  if (e.$fault === "client" || (status !== undefined && status >= 400)) return "refused";
  return "unknown";
}

/** What the log may show of a KMS failure: name, message, status, request id; no SDK object graph. */
function describe(err: unknown): string {
  const e = shape(err);
  const name = typeof e.name === "string" ? e.name : "Error";
  const code = typeof e.code === "string" && e.code !== name ? ` ${e.code}` : "";
  const message = typeof e.message === "string" && e.message !== "" ? `: ${e.message}` : "";
  const status = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  const meta = [
    typeof status === "number" ? `HTTP ${status}` : "",
    typeof requestId === "string" ? `request id ${requestId}` : "",
  ].filter((s) => s !== "");
  return `${name}${code}${meta.length > 0 ? ` (${meta.join(", ")})` : ""}${message}`;
}

/**
 * The KeyProviderError for a failed KMS call under `kekRef` (`kms:<key>`); an error that is no AWS or network
 * failure (a bug) is returned as it is.
 */
export function kmsKeyError(err: unknown, operation: KmsOperation, kekRef: string): unknown {
  const kind = classifyKmsError(err);
  if (kind === "unknown") return err;
  const message = `KMS ${operation} under "${kekRef}" failed: ${describe(err)}`;
  switch (kind) {
    case "throttled":
      return new KeyProviderUnavailableError(message, { throttled: true });
    case "unavailable":
      return new KeyProviderUnavailableError(message);
    case "key-unusable":
      return new KekNotFoundError(kekRef, message);
    case "refused":
      return operation === "Decrypt"
        ? new DekUnwrapError(kekRef, message)
        : new KekNotFoundError(kekRef, message);
  }
}
