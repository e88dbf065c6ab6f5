/**
 * What a failed GetDataKey call means, from its gRPC status code (grpc/grpc doc/statuscodes.md):
 *
 * - transient (the service is down, overloaded, slow, or restarting): UNAVAILABLE, DEADLINE_EXCEEDED,
 *   RESOURCE_EXHAUSTED, ABORTED, CANCELLED, INTERNAL (Constellation's keyservice answers INTERNAL when its own
 *   KMS backend fails), UNKNOWN → KeyProviderUnavailableError, retryable: the S3 layer answers 503.
 * - NOT_FOUND: the service does not know the id → KekNotFoundError.
 * - everything else (INVALID_ARGUMENT, PERMISSION_DENIED, UNAUTHENTICATED, UNIMPLEMENTED: wrong endpoint,
 *   credentials or service) is a configuration error → KeySourceError.
 *
 * The service's status details are quoted (trimmed); key bytes never travel in a status.
 */
import { formatKekRef } from "../kekRef.ts";
import {
  KekNotFoundError,
  type KeyProviderError,
  KeyProviderUnavailableError,
  KeySourceError,
} from "../errors.ts";

/** gRPC status codes (doc/statuscodes.md), by number. */
const STATUS_NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;

const TRANSIENT = new Set<string>([
  "UNAVAILABLE",
  "DEADLINE_EXCEEDED",
  "RESOURCE_EXHAUSTED",
  "ABORTED",
  "CANCELLED",
  "INTERNAL",
  "UNKNOWN",
]);

export function grpcStatusName(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === "number" ? STATUS_NAMES[code] : undefined;
}

export function keyServiceFailure(
  err: unknown,
  endpoint: string,
  scheme: string,
  id: string,
): KeyProviderError {
  const status = grpcStatusName(err) ?? "UNKNOWN";
  const rawDetails = (err as { details?: unknown } | undefined)?.details;
  const details = typeof rawDetails === "string" && rawDetails !== "" ? `: ${rawDetails.slice(0, 200)}` : "";
  const what = `the key service at ${endpoint} answered GetDataKey("${id}") with ${status}${details}`;
  if (TRANSIENT.has(status)) return new KeyProviderUnavailableError(what, { cause: err });
  if (status === "NOT_FOUND") return new KekNotFoundError(formatKekRef(scheme, id), what);
  return new KeySourceError(`${what} (check the endpoint, TLS settings and the service's access rules)`, {
    cause: err,
  });
}
