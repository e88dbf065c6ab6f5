/**
 * The ciphertext `Range` of the first upstream GET of a ranged read (the "probe"). It is chosen before the
 * proxy knows anything about the object — its length, segment size, layout, even whether it is encrypted — and
 * its answer tells all of that at once: the envelope metadata, the ETag that pins any further request, and the
 * complete stored length in `Content-Range: bytes a-b/<C>` (RFC 9110 §14.4), which fixes the plaintext length
 * (docs/FORMAT.md §6) and so the plaintext range.
 *
 * It assumes the segment size every writer uses (e = 16, FORMAT §3); objects with another exponent still read
 * correctly, the missing or surplus ciphertext is fetched or skipped afterwards (stitchPlan.ts).
 *
 * - `bytes=a-b` / `bytes=a-`: exactly the records holding plaintext [a, b] (FORMAT §7: record g starts at g·R);
 *   S3 clamps the end, so a range reaching the end of the plaintext also gets the final record. For a
 *   single-part object, or a multipart one read from record 0, this one request is the whole read.
 * - `bytes=-n`: where the last n plaintext bytes start is unknown until the length is, so the probe asks for
 *   the last ceil(n/S) records. The records the suffix touches are at most R bytes more or at most R - 33 bytes
 *   fewer than that; a shortfall is fetched with one pinned request, a surplus skipped. Either way the proxy
 *   fetches at most one record beyond the records it needs.
 * - `?partNumber=N`: record 0 (`bytes=0-(R-1)`), which carries a multipart object's records per part K
 *   (FORMAT §9) and, for a single-part object, the start of part 1 = the whole object.
 */
import { DEFAULT_SEGMENT_EXPONENT, recordSize, segmentSize } from "../crypto/index.ts";
import type { RangedRead } from "./rangedRead.ts";

const clamp = (n: number): number => Math.min(n, Number.MAX_SAFE_INTEGER);

export function probeRangeFor(read: RangedRead, e: number = DEFAULT_SEGMENT_EXPONENT): string {
  const s = segmentSize(e);
  const r = recordSize(e);
  if (read.kind === "part") return `bytes=0-${r - 1}`;
  const spec = read.spec;
  if (spec.kind === "suffix") {
    // A zero-length suffix is unsatisfiable whatever the object; one record still tells its length.
    const records = Math.floor((Math.max(spec.length, 1) - 1) / s) + 1;
    return `bytes=-${clamp(records * r)}`;
  }
  const start = clamp(Math.floor(spec.first / s) * r);
  if (spec.last === undefined) return `bytes=${start}-`;
  return `bytes=${start}-${clamp((Math.floor(spec.last / s) + 1) * r - 1)}`;
}
