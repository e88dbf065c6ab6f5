/**
 * The proxy's typed error. Every failure the proxy reports carries a stable `code` (listed in errorCodes.ts)
 * and an HTTP status; the one place that turns it into bytes on the wire is http/errorResponse.ts. Internal
 * details go to the log via `cause`, never to the client.
 */
import { ERROR_CODES, type ErrorCode } from "./errorCodes.ts";

export class ProxyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra response headers the error answer must carry (a 416's `Content-Range: bytes *\/size`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; headers?: Readonly<Record<string, string>> },
  ) {
    super(message, options);
    this.name = "ProxyError";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.headers = options?.headers ?? {};
  }
}

/** Anything thrown that is not a ProxyError becomes InternalError; the original stays in `cause` for logs. */
export function toProxyError(err: unknown): ProxyError {
  if (err instanceof ProxyError) return err;
  return new ProxyError("InternalError", "We encountered an internal error. Please try again.", {
    cause: err,
  });
}
