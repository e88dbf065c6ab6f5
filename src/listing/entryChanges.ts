/**
 * How each listed entry changes (pure): sizes become plaintext sizes (docs/FORMAT.md §6: `P(C)` follows from the
 * stored size alone, for single-part and multipart objects) and ETags client-visible ETags
 * (src/pipeline/clientEtag.ts). Two sources of truth, per `--list-sizes`:
 *
 * - facts from HEADs (`head`): exact; entries without facts (legacy plaintext, unknown, failed) stay as listed;
 * - size arithmetic alone (`math`): every entry whose stored size is a possible ciphertext length at the
 *   writers' segment exponent (e = 16, FORMAT §3) is taken to be encrypted, its ETag marked as not an MD5.
 */
import { DEFAULT_SEGMENT_EXPONENT, isCryptoError, plaintextLength } from "../crypto/index.ts";
import { nonMd5Etag } from "../pipeline/clientEtag.ts";
import type { ObjectFacts } from "./objectFacts.ts";
import type { ListingEntry } from "./readListing.ts";
import type { EntryChange } from "./rewriteListing.ts";

/** P(C), or undefined when C is not a ciphertext length at exponent e. */
export function plaintextSizeOf(stored: number, e: number): number | undefined {
  try {
    return plaintextLength(stored, e);
  } catch (err) {
    if (isCryptoError(err)) return undefined;
    throw err;
  }
}

export function changesFromFacts(
  entries: readonly ListingEntry[],
  facts: readonly (ObjectFacts | undefined)[],
): (EntryChange | undefined)[] {
  return entries.map((entry, i) => {
    const f = facts[i];
    if (f === undefined || !f.encrypted || entry.size === undefined) return undefined;
    const size = plaintextSizeOf(entry.size, f.segmentExponent);
    return size === undefined ? undefined : { size, etag: f.etag };
  });
}

export function changesFromSizeMath(entries: readonly ListingEntry[]): (EntryChange | undefined)[] {
  return entries.map((entry) => {
    if (entry.size === undefined) return undefined;
    const size = plaintextSizeOf(entry.size, DEFAULT_SEGMENT_EXPONENT);
    if (size === undefined) return undefined;
    return entry.etag === undefined ? { size } : { size, etag: nonMd5Etag(entry.etag) };
  });
}
