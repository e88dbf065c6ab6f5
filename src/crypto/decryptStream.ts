/**
 * The decrypt Transform: the ciphertext bytes a RangePlan says to fetch in, the requested plaintext out
 * (docs/FORMAT.md §6-7). For a whole object the plan starts at record 0; for a byte range it starts at the
 * first record the range touches (random access), and output is trimmed to the requested slice.
 *
 * No plaintext of a record is pushed before that record's GCM tag verified and its header matched its
 * position. Memory is bounded: one record's plaintext (<= 1 MiB by the segment-size cap) plus the chunk in
 * hand. Errors: DecryptAuthFailed, DecryptSegmentMisplaced, DecryptTruncated (input ends early, or records
 * describe a longer object), DecryptTrailingData (input runs past the plan, or records describe a shorter one).
 */
import { createDecipheriv, type DecipherGCM } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { DecryptError } from "./errors.ts";
import { RECORD_HEADER_LENGTH, SEGMENT_CIPHER, TAG_LENGTH } from "./formatConstants.ts";
import type { ObjectKeys } from "./objectKeys.ts";
import type { RangePlan } from "./rangePlan.ts";
import { decodeRecordHeader, type RecordHeader, recordAad, recordNonce } from "./recordHeader.ts";
import { checkPartSegments, checkRecordPosition, expectedRecord } from "./recordPosition.ts";
import { recordLength, segmentSize } from "./segmentMath.ts";

export interface DecryptStreamOptions {
  keys: ObjectKeys;
  /** From planRange() with the envelope's segment exponent and the object's ciphertext length. */
  plan: RangePlan;
  /**
   * Multipart objects: records per part K from partSegmentsFromFirstRecord() (or a cache keyed by the
   * envelope salt). Required when plan.firstRecord > 0; when the plan starts at record 0 it is learned there.
   */
  partSegments?: number;
}

class DecryptStream extends Transform {
  readonly #keys: ObjectKeys;
  readonly #plan: RangePlan;
  readonly #segment: number;
  readonly #expectedBytes: number;
  #partSegments: number | undefined;
  #received = 0;
  /** Position (record index in the object) of the record being read. */
  #g: number;
  #recordLength: number;
  #offset = 0;
  readonly #headerBytes = Buffer.alloc(RECORD_HEADER_LENGTH);
  readonly #tag = Buffer.alloc(TAG_LENGTH);
  #header: RecordHeader | undefined;
  #decipher: DecipherGCM | undefined;
  #pieces: Buffer[] = [];
  readonly #partNonces = new Map<number, Buffer>();
  #lastKey: { part: number; partNonce: Buffer; key: Buffer } | undefined;

  constructor(options: DecryptStreamOptions) {
    super();
    const { keys, plan } = options;
    if (plan.segmentExponent !== keys.header.segmentExponent) {
      throw new RangeError("plan was made for another segment size than the envelope's");
    }
    if (options.partSegments !== undefined) checkPartSegments(options.partSegments);
    if (keys.header.layout === "multipart" && plan.firstRecord > 0 && options.partSegments === undefined) {
      throw new TypeError("a multipart range that does not start at record 0 needs partSegments");
    }
    this.#keys = keys;
    this.#plan = plan;
    this.#segment = segmentSize(plan.segmentExponent);
    this.#expectedBytes = plan.cipherEnd - plan.cipherStart;
    this.#partSegments = keys.header.layout === "multipart" ? options.partSegments : undefined;
    this.#g = plan.firstRecord;
    this.#recordLength = recordLength(plan.firstRecord, plan.ciphertextLength, plan.segmentExponent);
  }

  #startRecord(): void {
    const header = decodeRecordHeader(this.#headerBytes);
    const key = this.#partKey(header);
    const decipher = createDecipheriv(SEGMENT_CIPHER, key, recordNonce(header.index), {
      authTagLength: TAG_LENGTH,
    });
    decipher.setAAD(recordAad(this.#keys.header.bytes, this.#headerBytes));
    this.#header = header;
    this.#decipher = decipher;
  }

  /** The key of the previous record's part is almost always the one needed again. */
  #partKey(header: RecordHeader): Buffer {
    const last = this.#lastKey;
    if (last !== undefined && last.part === header.part && last.partNonce.equals(header.partNonce))
      return last.key;
    const key = this.#keys.partKey(header.part, header.partNonce);
    this.#lastKey = { part: header.part, partNonce: header.partNonce, key };
    return key;
  }

  #finishRecord(): void {
    const header = this.#header;
    const decipher = this.#decipher;
    if (header === undefined || decipher === undefined) throw new Error("record finished before it started");
    decipher.setAuthTag(this.#tag);
    try {
      decipher.final(); // GCM: verifies the tag, returns no data
    } catch (cause) {
      throw new DecryptError("DecryptAuthFailed", `record ${this.#g} failed authentication`, { cause });
    }
    const g = this.#g;
    const layout = this.#keys.header.layout;
    if (layout === "multipart" && this.#partSegments === undefined) this.#partSegments = header.count; // g === 0
    checkRecordPosition(g, header, expectedRecord(g, this.#plan.recordCount, layout, this.#partSegments));
    const seen = this.#partNonces.get(header.part);
    if (seen === undefined) this.#partNonces.set(header.part, header.partNonce);
    else if (!seen.equals(header.partNonce)) {
      throw new DecryptError(
        "DecryptSegmentMisplaced",
        `record ${g} comes from another upload of part ${header.part}`,
      );
    }
    this.#emit(g);
    this.#g = g + 1;
    this.#offset = 0;
    this.#header = undefined;
    this.#decipher = undefined;
    if (this.#g === this.#plan.recordCount - 1) {
      this.#recordLength = recordLength(this.#g, this.#plan.ciphertextLength, this.#plan.segmentExponent);
    }
  }

  /** Push the verified plaintext of record g that lies inside the requested range. */
  #emit(g: number): void {
    const from = Math.max(this.#plan.plaintextStart - g * this.#segment, 0);
    const to = Math.min(this.#plan.plaintextEnd - g * this.#segment, this.#segment);
    let at = 0;
    for (const piece of this.#pieces) {
      const lo = Math.max(from - at, 0);
      const hi = Math.min(to - at, piece.length);
      if (hi > lo) this.push(lo === 0 && hi === piece.length ? piece : piece.subarray(lo, hi));
      at += piece.length;
    }
    this.#pieces = [];
  }

  #consume(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const bodyEnd = this.#recordLength - TAG_LENGTH;
      if (this.#offset < RECORD_HEADER_LENGTH) {
        const n = Math.min(RECORD_HEADER_LENGTH - this.#offset, chunk.length - at);
        chunk.copy(this.#headerBytes, this.#offset, at, at + n);
        this.#offset += n;
        at += n;
        if (this.#offset === RECORD_HEADER_LENGTH) this.#startRecord();
      } else if (this.#offset < bodyEnd) {
        const n = Math.min(bodyEnd - this.#offset, chunk.length - at);
        const out = this.#decipher?.update(chunk.subarray(at, at + n));
        if (out !== undefined && out.length > 0) this.#pieces.push(out);
        this.#offset += n;
        at += n;
      } else {
        const n = Math.min(this.#recordLength - this.#offset, chunk.length - at);
        chunk.copy(this.#tag, this.#offset - bodyEnd, at, at + n);
        this.#offset += n;
        at += n;
      }
      if (this.#offset === this.#recordLength) this.#finishRecord();
    }
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#received + chunk.length > this.#expectedBytes) {
      callback(
        new DecryptError(
          "DecryptTrailingData",
          `ciphertext runs past the expected ${this.#expectedBytes} bytes`,
        ),
      );
      return;
    }
    this.#received += chunk.length;
    try {
      this.#consume(chunk);
    } catch (err) {
      this.#pieces = [];
      callback(err as Error);
      return;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#received < this.#expectedBytes) {
      callback(
        new DecryptError(
          "DecryptTruncated",
          `ciphertext ended after ${this.#received} of ${this.#expectedBytes} bytes`,
        ),
      );
      return;
    }
    callback();
  }
}

/** A Transform from the planned ciphertext bytes to the planned plaintext slice. */
export function createDecryptStream(options: DecryptStreamOptions): Transform {
  return new DecryptStream(options);
}
