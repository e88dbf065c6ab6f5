/**
 * HTTP preconditions (RFC 9110 §13.1: If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since),
 * evaluated by the proxy for objects whose client-visible ETag differs from the stored one
 * (src/pipeline/clientEtag.ts): S3 can only compare against the ciphertext's ETag, so the proxy evaluates all
 * four against the ETag the client saw and the object's Last-Modified, in the order of §13.2.2, and then pins
 * the real request to that object with `If-Match: <stored ETag>`. The date conditions cannot stay with S3:
 * with the pinning If-Match present, S3 (rightly, §13.1.4) ignores If-Unmodified-Since.
 */

export interface Preconditions {
  /** Entity-tags of If-Match, or "*"; undefined when absent. */
  ifMatch: readonly string[] | "*" | undefined;
  ifNoneMatch: readonly string[] | "*" | undefined;
  /** Milliseconds since the epoch; undefined when absent or not a valid HTTP-date (then ignored, §13.1.3-4). */
  ifModifiedSince: number | undefined;
  ifUnmodifiedSince: number | undefined;
}

export type PreconditionOutcome = "proceed" | "precondition-failed" | "not-modified";

/**
 * An entity-tag list (RFC 9110 §8.8.3 / §13.1.1): `*` or comma-separated `"tag"` / `W/"tag"`. S3 also takes
 * a bare unquoted tag; that is accepted as the same tag quoted.
 */
export function parseEtagList(value: string): readonly string[] | "*" {
  const trimmed = value.trim();
  if (trimmed === "*") return "*";
  const tags: string[] = [];
  for (const m of trimmed.matchAll(/(W\/)?"([^"]*)"|([^\s,"]+)/g)) {
    tags.push(m[3] !== undefined ? `"${m[3]}"` : `${m[1] ?? ""}"${m[2] ?? ""}"`);
  }
  return tags;
}

const opaque = (tag: string): string => (tag.startsWith("W/") ? tag.slice(2) : tag);

/** Strong comparison (RFC 9110 §8.8.3.2): both strong and identical. */
function strongMatch(list: readonly string[], current: string): boolean {
  return !current.startsWith("W/") && list.some((t) => !t.startsWith("W/") && t === current);
}

/** Weak comparison: opaque tags identical, W/ ignored. */
function weakMatch(list: readonly string[], current: string): boolean {
  return list.some((t) => opaque(t) === opaque(current));
}

/** An HTTP-date (RFC 9110 §5.6.7) to epoch milliseconds; undefined if it is not one. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function readPreconditions(headers: {
  "if-match"?: string | undefined;
  "if-none-match"?: string | undefined;
  "if-modified-since"?: string | undefined;
  "if-unmodified-since"?: string | undefined;
}): Preconditions {
  const im = headers["if-match"];
  const inm = headers["if-none-match"];
  return {
    ifMatch: im === undefined ? undefined : parseEtagList(im),
    ifNoneMatch: inm === undefined ? undefined : parseEtagList(inm),
    ifModifiedSince: parseHttpDate(headers["if-modified-since"]),
    ifUnmodifiedSince: parseHttpDate(headers["if-unmodified-since"]),
  };
}

/** True when the request carries any precondition the proxy must evaluate. */
export function hasPreconditions(p: Preconditions): boolean {
  return (
    p.ifMatch !== undefined ||
    p.ifNoneMatch !== undefined ||
    p.ifModifiedSince !== undefined ||
    p.ifUnmodifiedSince !== undefined
  );
}

/**
 * RFC 9110 §13.2.2 for an existing representation with ETag `current` (the client-visible one) and
 * Last-Modified `lastModified` (epoch ms, whole seconds as HTTP-dates carry them):
 *   1. If-Match false → 412;  2. else If-Unmodified-Since false → 412;
 *   3. If-None-Match false → 304 for GET/HEAD, else 412;  4. else (GET/HEAD) If-Modified-Since false → 304.
 * S3 documents the same outcomes for the pairs (If-Match true + If-Unmodified-Since false → 200; If-None-Match
 * false + If-Modified-Since true → 304).
 */
export function evaluatePreconditions(
  p: Preconditions,
  current: { etag: string; lastModified: number | undefined },
  method: string,
): PreconditionOutcome {
  const read = method === "GET" || method === "HEAD";
  const lm = current.lastModified;
  if (p.ifMatch !== undefined) {
    if (p.ifMatch !== "*" && !strongMatch(p.ifMatch, current.etag)) return "precondition-failed";
  } else if (p.ifUnmodifiedSince !== undefined && lm !== undefined && lm > p.ifUnmodifiedSince) {
    return "precondition-failed";
  }
  if (p.ifNoneMatch !== undefined) {
    if (p.ifNoneMatch === "*" || weakMatch(p.ifNoneMatch, current.etag)) {
      return read ? "not-modified" : "precondition-failed";
    }
  } else if (read && p.ifModifiedSince !== undefined && lm !== undefined && lm <= p.ifModifiedSince) {
    return "not-modified";
  }
  return "proceed";
}
