/**
 * Where an authentic record must sit (docs/FORMAT.md §7). A record's header names its part, its index in the
 * part and the part's record count; the reader recomputes all three from the record's position in the object
 * and the object's length, and any difference is an integrity failure: this is what turns per-record
 * authentication into detection of reordering, swapping, splicing, truncation and appended data.
 *
 *   single-part:  record g is (part 0, index g, count G)
 *   multipart:    K = records per part (the count in record 0), N = ceil(G / K)
 *                 record g is (part floor(g / K) + 1, index g mod K, count K, or G - (N - 1) K in part N)
 */
import { DecryptError } from "./errors.ts";
import { type Layout, MAX_RECORDS_PER_PART } from "./formatConstants.ts";
import type { RecordHeader } from "./recordHeader.ts";
import { floorDiv } from "./segmentMath.ts";

export interface ExpectedRecord {
  part: number;
  index: number;
  count: number;
}

export function checkPartSegments(partSegments: number): void {
  if (!Number.isSafeInteger(partSegments) || partSegments < 1 || partSegments > MAX_RECORDS_PER_PART) {
    throw new RangeError(`records per part must be 1..${MAX_RECORDS_PER_PART}, got ${partSegments}`);
  }
}

/** The (part, index, count) record g of a G-record object must carry; multipart needs K (partSegments). */
export function expectedRecord(
  g: number,
  recordCount: number,
  layout: Layout,
  partSegments?: number,
): ExpectedRecord {
  if (layout === "single") return { part: 0, index: g, count: recordCount };
  if (partSegments === undefined) throw new TypeError("multipart position check needs the records per part");
  checkPartSegments(partSegments);
  const k = partSegments;
  const partIndex = floorDiv(g, k);
  const lastPartIndex = floorDiv(recordCount - 1, k);
  return {
    part: partIndex + 1,
    index: g - partIndex * k,
    count: partIndex < lastPartIndex ? k : recordCount - lastPartIndex * k,
  };
}

/** Throws the DecryptError that describes how `actual` (already authenticated) differs from `expected`. */
export function checkRecordPosition(g: number, actual: RecordHeader, expected: ExpectedRecord): void {
  if (actual.part !== expected.part || actual.index !== expected.index) {
    throw new DecryptError(
      "DecryptSegmentMisplaced",
      `record at position ${g} is record ${actual.index} of part ${actual.part}, ` +
        `expected record ${expected.index} of part ${expected.part}`,
    );
  }
  if (actual.count > expected.count) {
    throw new DecryptError(
      "DecryptTruncated",
      `part ${actual.part} was written with ${actual.count} records, the object holds ${expected.count}`,
    );
  }
  if (actual.count < expected.count) {
    throw new DecryptError(
      "DecryptTrailingData",
      `part ${actual.part} was written with ${actual.count} records, the object holds ${expected.count}`,
    );
  }
}
