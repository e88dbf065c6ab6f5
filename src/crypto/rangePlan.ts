/**
 * Maps a plaintext byte range to the records that hold it and the ciphertext bytes to fetch (docs/FORMAT.md
 * §6). Because every record but the last is full, record g starts at ciphertext offset g * R for any object,
 * single-part or multipart; the plan is pure arithmetic on (segment exponent, ciphertext length).
 *
 * A range that reaches the end of the plaintext is extended to the end of the ciphertext, so the reader sees
 * (and verifies) the object's final record even when it carries no plaintext of the range.
 */
import { LengthError } from "./errors.ts";
import { floorDiv, plaintextLength, recordCount, recordSize, segmentSize } from "./segmentMath.ts";

export interface RangePlan {
  segmentExponent: number;
  /** Size of the whole stored object. */
  ciphertextLength: number;
  plaintextLength: number;
  /** Records in the whole object (G). */
  recordCount: number;
  /** Requested plaintext bytes [plaintextStart, plaintextEnd). */
  plaintextStart: number;
  plaintextEnd: number;
  /** Records to read: [firstRecord, endRecord). */
  firstRecord: number;
  endRecord: number;
  /** Ciphertext bytes to fetch: [cipherStart, cipherEnd), i.e. `Range: bytes=cipherStart-(cipherEnd-1)`. */
  cipherStart: number;
  cipherEnd: number;
  /** Plaintext bytes of record firstRecord that precede plaintextStart. */
  skip: number;
}

export interface PlanRangeInput {
  segmentExponent: number;
  ciphertextLength: number;
  /** First plaintext byte; default 0. */
  start?: number;
  /** One past the last plaintext byte; default the plaintext length. */
  end?: number;
}

/**
 * Plan a read of plaintext [start, end). The whole object (the default) is always valid, including a 0-byte
 * one; otherwise 0 <= start < end <= plaintext length, or RangeInvalid.
 */
export function planRange(input: PlanRangeInput): RangePlan {
  const e = input.segmentExponent;
  const c = input.ciphertextLength;
  const total = recordCount(c, e);
  const p = plaintextLength(c, e);
  const start = input.start ?? 0;
  const end = input.end ?? p;
  const whole = start === 0 && end === p;
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    start < 0 ||
    end > p ||
    (!whole && start >= end)
  ) {
    throw new LengthError("RangeInvalid", `range [${start}, ${end}) is outside plaintext [0, ${p})`);
  }
  const s = segmentSize(e);
  const r = recordSize(e);
  const firstRecord = Math.min(floorDiv(start, s), total - 1);
  const endRecord = end === p ? total : floorDiv(end - 1, s) + 1;
  return {
    segmentExponent: e,
    ciphertextLength: c,
    plaintextLength: p,
    recordCount: total,
    plaintextStart: start,
    plaintextEnd: end,
    firstRecord,
    endRecord,
    cipherStart: firstRecord * r,
    cipherEnd: endRecord === total ? c : endRecord * r,
    skip: start - firstRecord * s,
  };
}
