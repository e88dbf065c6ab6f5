/**
 * What the proxy needs to know about a stored object to list it as the client should see it, and what a HEAD
 * of it tells: whether it carries an envelope (docs/FORMAT.md §2; none means legacy plaintext, shown as
 * stored), and if so its segment exponent (for the plaintext size, §6) and client-visible ETag
 * (src/pipeline/clientEtag.ts).
 */

export type ObjectFacts =
  | { readonly encrypted: false }
  | { readonly encrypted: true; readonly segmentExponent: number; readonly etag: string };

/** An object as a listing (or GetObjectAttributes) shows it: what identifies the stored content. */
export interface ListedObject {
  readonly key: string;
  readonly versionId: string | undefined;
  /** Stored ETag, quoted or not. */
  readonly etag: string;
  /** Stored size in bytes. */
  readonly size: number;
}

export type HeadOutcome =
  /** The object as HEAD found it: its stored ETag and size (which may differ from the listing's) and facts. */
  | { readonly kind: "found"; readonly etag: string; readonly size: number; readonly facts: ObjectFacts }
  /**
   * Nothing usable: HEAD answered `status` (404 after a raced delete, 403, 400 for SSE-C objects), or the
   * envelope could not be opened (`cause`). Not cached.
   */
  | { readonly kind: "unavailable"; readonly status: number | undefined; readonly cause?: unknown };

/**
 * HEADs one object. Resolves with what it found; rejects only for failures a retry may fix (upstream
 * unreachable or 5xx, key provider unavailable), which fail the whole listing.
 */
export type HeadObject = (object: ListedObject) => Promise<HeadOutcome>;

/** ETags compare without their quotes: S3 quotes them in headers and listings, not in GetObjectAttributes. */
export function sameEtag(a: string, b: string): boolean {
  return a.replace(/"/g, "") === b.replace(/"/g, "");
}
