/**
 * The time checks S3 applies to a SigV4 request before anything else about its signature
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html): header auth must be within 15
 * minutes of the server clock (RequestTimeTooSkewed); a presigned request must not be more than 15 minutes in
 * the future ("Request is not yet valid") nor past X-Amz-Date + X-Amz-Expires ("Request has expired"), both
 * AccessDenied. Pure: the caller passes the clock.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import type { ClientAuth } from "./parseClientAuth.ts";

/** S3's allowed clock difference for signed requests (RequestTimeTooSkewed beyond it). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Returns the expiry instant of a presigned request, or undefined for header auth. */
export function checkRequestTime(auth: ClientAuth, nowMs: number): Date | undefined {
  if (auth.mode === "header") {
    if (Math.abs(nowMs - auth.timestampMs) > MAX_CLOCK_SKEW_MS) {
      throw new ProxyError(
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
      );
    }
    return undefined;
  }
  if (auth.timestampMs - nowMs > MAX_CLOCK_SKEW_MS)
    throw new ProxyError("AccessDenied", "Request is not yet valid");
  const expiresAt = auth.timestampMs + (auth.expiresSeconds ?? 0) * 1000;
  if (nowMs >= expiresAt) throw new ProxyError("AccessDenied", "Request has expired");
  return new Date(expiresAt);
}
