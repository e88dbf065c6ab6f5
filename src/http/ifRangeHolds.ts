/**
 * `If-Range` (RFC 9110 §13.1.5): a client resuming a download sends the validator of what it already has, and
 * wants the range only if the object is still that one, the whole object otherwise (never a 412). S3 honours it
 * on GetObject although the API model lists no such parameter (aws/aws-sdk-kotlin#1645). For an encrypted object
 * the proxy evaluates it itself, against the ETag the client was shown (clientEtag.ts), which S3 never sees.
 *
 * The condition holds when the validator is a strong entity-tag identical to the current ETag (strong
 * comparison, §8.8.3.2: a weak tag never matches), or an HTTP-date identical to Last-Modified. Anything else,
 * including an unparseable value, fails it: the full representation is the safe answer.
 */

export interface Validators {
  /** The ETag the client sees, quoted. */
  readonly etag: string | undefined;
  /** The Last-Modified header value. */
  readonly lastModified: string | undefined;
}

export function ifRangeHolds(value: string, current: Validators): boolean {
  const v = value.trim();
  if (v.startsWith('"'))
    return current.etag !== undefined && !current.etag.startsWith("W/") && v === current.etag;
  if (v.startsWith("W/")) return false;
  const date = Date.parse(v);
  const lastModified = current.lastModified === undefined ? NaN : Date.parse(current.lastModified);
  return !Number.isNaN(date) && date === lastModified;
}
