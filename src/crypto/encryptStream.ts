/**
 * The encrypt Transform: plaintext of one single-part object or one multipart part in, format v1 records out
 * (docs/FORMAT.md §4). It needs nothing but the object keys, the part number and the part's plaintext length
 * (S3 always knows it: Content-Length or x-amz-decoded-content-length), so any replica can encrypt any part.
 *
 * Streaming with bounded memory: each record's GCM cipher is fed input slices as they arrive and its
 * ciphertext is pushed at once; nothing is buffered beyond the chunk in hand. Backpressure is node:stream's.
 */
import { createCipheriv, type CipherGCM } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { defaultRandomBytes, type RandomBytes } from "./createEnvelope.ts";
import { LengthError } from "./errors.ts";
import {
  MAX_PART_NUMBER,
  MAX_RECORDS_PER_PART,
  PART_NONCE_LENGTH,
  SEGMENT_CIPHER,
  TAG_LENGTH,
} from "./formatConstants.ts";
import type { ObjectKeys } from "./objectKeys.ts";
import { encodeRecordHeader, recordAad, recordNonce } from "./recordHeader.ts";
import { segmentCount, segmentSize } from "./segmentMath.ts";

export interface EncryptStreamOptions {
  keys: ObjectKeys;
  /** 0 for a single-part object; the S3 part number (1..10000) for a multipart part. */
  part: number;
  /** Exact plaintext bytes that will be written; a different amount fails with LengthInvalid. */
  plaintextLength: number;
  /** Draws the 8-byte part nonce; default node:crypto randomBytes. */
  randomBytes?: RandomBytes;
}

/** Throws PartNumberInvalid unless `part` fits the envelope's layout. */
export function checkPartNumber(keys: ObjectKeys, part: number): void {
  const ok =
    keys.header.layout === "single"
      ? part === 0
      : Number.isInteger(part) && part >= 1 && part <= MAX_PART_NUMBER;
  if (!ok) {
    throw new LengthError(
      "PartNumberInvalid",
      `part ${part} is invalid for a ${keys.header.layout} envelope (single: 0, multipart: 1..${MAX_PART_NUMBER})`,
    );
  }
}

class EncryptStream extends Transform {
  readonly #keys: ObjectKeys;
  readonly #part: number;
  readonly #partNonce: Buffer;
  readonly #key: Buffer;
  readonly #length: number;
  readonly #count: number;
  readonly #segment: number;
  #consumed = 0;
  #index = 0;
  #remaining = 0;
  #cipher: CipherGCM | undefined;

  constructor(options: EncryptStreamOptions) {
    super();
    const { keys, part, plaintextLength } = options;
    checkPartNumber(keys, part);
    const e = keys.header.segmentExponent;
    this.#count = segmentCount(plaintextLength, e); // throws LengthInvalid for a bad length
    if (this.#count > MAX_RECORDS_PER_PART) {
      throw new LengthError(
        "LengthInvalid",
        `${plaintextLength} bytes need more than ${MAX_RECORDS_PER_PART} records`,
      );
    }
    const nonce = (options.randomBytes ?? defaultRandomBytes)(PART_NONCE_LENGTH);
    if (nonce.byteLength !== PART_NONCE_LENGTH) throw new RangeError("randomBytes returned the wrong length");
    this.#keys = keys;
    this.#part = part;
    this.#partNonce = Buffer.from(nonce);
    this.#key = keys.partKey(part, this.#partNonce);
    this.#length = plaintextLength;
    this.#segment = segmentSize(e);
  }

  #startRecord(): CipherGCM {
    const headerBytes = encodeRecordHeader({
      part: this.#part,
      partNonce: this.#partNonce,
      index: this.#index,
      count: this.#count,
    });
    const cipher = createCipheriv(SEGMENT_CIPHER, this.#key, recordNonce(this.#index), {
      authTagLength: TAG_LENGTH,
    });
    cipher.setAAD(recordAad(this.#keys.header.bytes, headerBytes));
    this.#remaining = Math.min(this.#segment, this.#length - this.#index * this.#segment);
    this.#cipher = cipher;
    this.push(headerBytes);
    return cipher;
  }

  #finishRecord(cipher: CipherGCM): void {
    const last = cipher.final();
    if (last.length > 0) this.push(last);
    this.push(cipher.getAuthTag());
    this.#cipher = undefined;
    this.#index++;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#consumed + chunk.length > this.#length) {
      callback(new LengthError("LengthInvalid", `more than the declared ${this.#length} plaintext bytes`));
      return;
    }
    let offset = 0;
    while (offset < chunk.length) {
      const cipher = this.#cipher ?? this.#startRecord();
      const take = Math.min(this.#remaining, chunk.length - offset);
      const out = cipher.update(chunk.subarray(offset, offset + take));
      if (out.length > 0) this.push(out);
      offset += take;
      this.#remaining -= take;
      if (this.#remaining === 0) this.#finishRecord(cipher);
    }
    this.#consumed += chunk.length;
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#consumed !== this.#length) {
      callback(
        new LengthError(
          "LengthInvalid",
          `got ${this.#consumed} of the declared ${this.#length} plaintext bytes`,
        ),
      );
      return;
    }
    if (this.#length === 0) this.#finishRecord(this.#startRecord()); // the one empty final record
    callback();
  }
}

/** A Transform from plaintext to the records of one part (or single-part object). */
export function createEncryptStream(options: EncryptStreamOptions): Transform {
  return new EncryptStream(options);
}
