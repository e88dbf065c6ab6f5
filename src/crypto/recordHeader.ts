/**
 * The 16-byte clear header in front of every record (docs/FORMAT.md §4), and the GCM nonce and AAD built
 * from it. The header makes every record self-describing, so a reader needs neither S3's part list nor any
 * state to decrypt a record, and it is authenticated as AAD, so it cannot be altered.
 *
 *   offset size field
 *   0      2    part        be16: 0 for a single-part object, 1..10000 for multipart parts
 *   2      8    part nonce  random per encryption of a part (keys of re-uploaded parts never repeat)
 *   10     3    index       be24: record index within the part, 0-based
 *   13     3    count       be24: records in the part; index = count - 1 marks the part's final record
 *
 *   nonce = be96(index)                                     (NIST SP 800-38D §8.2.1 deterministic construction)
 *   AAD   = envelope header (68 bytes) || record header (16 bytes)
 */
import {
  GCM_NONCE_LENGTH,
  MAX_PART_NUMBER,
  MAX_RECORDS_PER_PART,
  PART_NONCE_LENGTH,
  RECORD_HEADER_LENGTH,
} from "./formatConstants.ts";

export interface RecordHeader {
  part: number;
  partNonce: Buffer;
  index: number;
  count: number;
}

export function encodeRecordHeader(header: RecordHeader): Buffer {
  const { part, partNonce, index, count } = header;
  if (!Number.isInteger(part) || part < 0 || part > MAX_PART_NUMBER) throw new RangeError(`bad part ${part}`);
  if (partNonce.length !== PART_NONCE_LENGTH) throw new RangeError("bad part nonce length");
  if (!Number.isInteger(count) || count < 1 || count > MAX_RECORDS_PER_PART)
    throw new RangeError(`bad count ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`bad index ${index}`);
  const bytes = Buffer.alloc(RECORD_HEADER_LENGTH);
  bytes.writeUInt16BE(part, 0);
  partNonce.copy(bytes, 2);
  bytes.writeUIntBE(index, 10, 3);
  bytes.writeUIntBE(count, 13, 3);
  return bytes;
}

/** Structural parse only: the fields are untrusted until the record's tag verifies. */
export function decodeRecordHeader(bytes: Uint8Array): RecordHeader {
  if (bytes.byteLength !== RECORD_HEADER_LENGTH) throw new RangeError("record header must be 16 bytes");
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    part: buf.readUInt16BE(0),
    partNonce: Buffer.from(buf.subarray(2, 10)),
    index: buf.readUIntBE(10, 3),
    count: buf.readUIntBE(13, 3),
  };
}

/** 96-bit big-endian record index: unique per part key because each key encrypts one part once. */
export function recordNonce(index: number): Buffer {
  const nonce = Buffer.alloc(GCM_NONCE_LENGTH);
  nonce.writeUInt32BE(index, 8);
  return nonce;
}

export function recordAad(envelopeHeaderBytes: Uint8Array, recordHeaderBytes: Uint8Array): Buffer {
  return Buffer.concat([envelopeHeaderBytes, recordHeaderBytes]);
}
