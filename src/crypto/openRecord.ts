/**
 * Decrypts and verifies one whole record held in memory: random access to record g without a stream, the
 * recovery tool's salvage path, and the way a reader learns a multipart object's records-per-part K (from the
 * authenticated count in record 0) before decrypting a range that does not start at record 0.
 * The same checks as the decrypt stream: GCM tag first (NIST SP 800-38D §7.2), then position.
 */
import { createDecipheriv } from "node:crypto";
import { DecryptError } from "./errors.ts";
import { RECORD_HEADER_LENGTH, RECORD_OVERHEAD, SEGMENT_CIPHER, TAG_LENGTH } from "./formatConstants.ts";
import type { ObjectKeys } from "./objectKeys.ts";
import { decodeRecordHeader, type RecordHeader, recordAad, recordNonce } from "./recordHeader.ts";
import { checkRecordPosition, expectedRecord } from "./recordPosition.ts";
import { recordCount, recordLength } from "./segmentMath.ts";

export interface OpenedRecord {
  header: RecordHeader;
  plaintext: Buffer;
}

/** Verify the GCM tag of `record` (header + ciphertext + tag) and return its parsed header and plaintext. */
export function authenticateRecord(keys: ObjectKeys, record: Uint8Array): OpenedRecord {
  if (record.byteLength < RECORD_OVERHEAD)
    throw new DecryptError("DecryptTruncated", "record shorter than 32 bytes");
  const bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  const headerBytes = bytes.subarray(0, RECORD_HEADER_LENGTH);
  const header = decodeRecordHeader(headerBytes);
  const decipher = createDecipheriv(
    SEGMENT_CIPHER,
    keys.partKey(header.part, header.partNonce),
    recordNonce(header.index),
    {
      authTagLength: TAG_LENGTH,
    },
  );
  decipher.setAAD(recordAad(keys.header.bytes, headerBytes));
  const body = decipher.update(bytes.subarray(RECORD_HEADER_LENGTH, bytes.length - TAG_LENGTH));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_LENGTH));
  try {
    decipher.final();
  } catch (cause) {
    throw new DecryptError("DecryptAuthFailed", "record failed authentication", { cause });
  }
  return { header, plaintext: body };
}

export interface OpenRecordInput {
  keys: ObjectKeys;
  /** The stored bytes of record g: exactly recordLength(g, ciphertextLength, e). */
  record: Uint8Array;
  /** The record's position in the object (0-based). */
  index: number;
  /** Size of the whole stored object. */
  ciphertextLength: number;
  /** Multipart: records per part (K); may be omitted only for record 0, which defines it. */
  partSegments?: number;
}

/** Random access to one record: authenticated content at an authenticated position, or a DecryptError. */
export function openRecord(input: OpenRecordInput): OpenedRecord {
  const { keys, record, index: g, ciphertextLength } = input;
  const e = keys.header.segmentExponent;
  const total = recordCount(ciphertextLength, e);
  const want = recordLength(g, ciphertextLength, e);
  if (record.byteLength < want)
    throw new DecryptError("DecryptTruncated", `record ${g} has ${record.byteLength} of ${want} bytes`);
  if (record.byteLength > want)
    throw new DecryptError("DecryptTrailingData", `record ${g} is longer than ${want} bytes`);
  const opened = authenticateRecord(keys, record);
  const layout = keys.header.layout;
  const k =
    layout === "multipart" && g === 0 && input.partSegments === undefined
      ? opened.header.count
      : input.partSegments;
  checkRecordPosition(g, opened.header, expectedRecord(g, total, layout, k));
  return opened;
}

/**
 * A multipart object's records per part K, read from its first record (ciphertext bytes
 * [0, recordLength(0, C, e))); authenticated, so it can be cached per envelope salt.
 */
export function partSegmentsFromFirstRecord(
  keys: ObjectKeys,
  record0: Uint8Array,
  ciphertextLength: number,
): number {
  if (keys.header.layout !== "multipart") throw new TypeError("only multipart objects have records per part");
  return openRecord({ keys, record: record0, index: 0, ciphertextLength }).header.count;
}
