/**
 * The multipart layout rules of format v1 and their arithmetic (docs/FORMAT.md §8). Parts are encrypted
 * independently, so the format can only keep "every record but the last is full" (which makes lengths and
 * ranges pure arithmetic) if the completed object obeys:
 *
 *   1. its parts are numbered 1..N with no gaps;
 *   2. parts 1..N-1 all hold the same plaintext length, a positive multiple of the segment size (K records);
 *   3. part N holds at most K records.
 *
 * CompleteMultipartUpload must check them with validateMultipartParts() (ciphertext part sizes from ListParts)
 * and refuse the upload otherwise. A reader needs none of S3's part information: part boundaries follow from
 * K, which record 0 carries, and survive server-side copies that re-chunk the object.
 */
import { LengthError } from "./errors.ts";
import { MAX_PART_NUMBER, MAX_RECORDS_PER_PART } from "./formatConstants.ts";
import { checkPartSegments } from "./recordPosition.ts";
import { floorDiv, plaintextLength, recordCount, recordSize, segmentSize } from "./segmentMath.ts";

export interface MultipartGeometry {
  /** K: records in every part but the last. */
  partSegments: number;
  partCount: number;
  recordCount: number;
  plaintextLength: number;
  ciphertextLength: number;
}

/**
 * Check the stored (ciphertext) sizes of parts 1..N, in part-number order, against the layout rules.
 * Returns the object's geometry, or throws MultipartLayoutInvalid.
 */
export function validateMultipartParts(
  partCiphertextLengths: readonly number[],
  e: number,
): MultipartGeometry {
  const n = partCiphertextLengths.length;
  if (n < 1 || n > MAX_PART_NUMBER) {
    throw new LengthError(
      "MultipartLayoutInvalid",
      `a multipart object has 1..${MAX_PART_NUMBER} parts, got ${n}`,
    );
  }
  const r = recordSize(e);
  const counts = partCiphertextLengths.map((c, i) => {
    try {
      return recordCount(c, e);
    } catch (cause) {
      throw new LengthError("MultipartLayoutInvalid", `part ${i + 1} has an impossible size ${c}`, { cause });
    }
  });
  const k = counts[0] ?? 0;
  if (k > MAX_RECORDS_PER_PART)
    throw new LengthError("MultipartLayoutInvalid", "part 1 has too many records");
  for (let i = 0; i < n - 1; i++) {
    if (partCiphertextLengths[i] !== k * r) {
      throw new LengthError(
        "MultipartLayoutInvalid",
        `part ${i + 1} must hold exactly ${k} full segments (${k * segmentSize(e)} plaintext bytes) like part 1`,
      );
    }
  }
  const lastCount = counts[n - 1] ?? 0;
  if (lastCount > k) {
    throw new LengthError(
      "MultipartLayoutInvalid",
      `the last part has ${lastCount} records, more than part 1's ${k}`,
    );
  }
  const ciphertextLength = partCiphertextLengths.reduce((a, b) => a + b, 0);
  return {
    partSegments: k,
    partCount: n,
    recordCount: (n - 1) * k + lastCount,
    plaintextLength: plaintextLength(ciphertextLength, e),
    ciphertextLength,
  };
}

export interface PartSpan {
  part: number;
  firstRecord: number;
  recordCount: number;
  plaintextStart: number;
  plaintextLength: number;
  cipherStart: number;
  cipherLength: number;
}

/** The span of multipart part `part` (1-based) in an object of `ciphertextLength` bytes with K records per part. */
export function partSpan(ciphertextLength: number, e: number, partSegments: number, part: number): PartSpan {
  checkPartSegments(partSegments);
  const total = recordCount(ciphertextLength, e);
  const parts = floorDiv(total - 1, partSegments) + 1;
  if (!Number.isInteger(part) || part < 1 || part > parts) {
    throw new LengthError("PartNumberInvalid", `part ${part} outside 1..${parts}`);
  }
  const firstRecord = (part - 1) * partSegments;
  const records = Math.min(partSegments, total - firstRecord);
  const r = recordSize(e);
  const cipherStart = firstRecord * r;
  const cipherEnd = firstRecord + records === total ? ciphertextLength : (firstRecord + records) * r;
  const plaintextStart = firstRecord * segmentSize(e);
  return {
    part,
    firstRecord,
    recordCount: records,
    plaintextStart,
    plaintextLength: cipherEnd - cipherStart - records * (r - segmentSize(e)),
    cipherStart,
    cipherLength: cipherEnd - cipherStart,
  };
}

/** Every part of the object, in order (at most 10,000 entries). */
export function partSpans(ciphertextLength: number, e: number, partSegments: number): PartSpan[] {
  checkPartSegments(partSegments);
  const parts = floorDiv(recordCount(ciphertextLength, e) - 1, partSegments) + 1;
  const spans: PartSpan[] = [];
  for (let p = 1; p <= parts; p++) spans.push(partSpan(ciphertextLength, e, partSegments, p));
  return spans;
}
