/**
 * Gathers what `s3proxy inspect` reports about one stored object: the envelope from its metadata and, for a
 * multipart object, record 0 (one ranged read of at most one record) for the records per part K. Without keys
 * K is read from record 0's header in the clear, which is not authenticated; with `verify` the DEK is unwrapped
 * and checked against the key commitment, record 0 is authenticated (which proves the KEK really opens the
 * data) and a sealed MD5 is opened.
 *
 * A malformed envelope is not a report but the format's typed error (FormatError), which the command prints.
 */
import {
  decodeRecordHeader,
  openPlaintextMd5,
  openRecord,
  readEnvelopeMetadata,
  recordCount,
  recordLength,
} from "../crypto/index.ts";
import type { KeyProvider } from "../keys/index.ts";
import { openStoredObjectKeys } from "../pipeline/openStoredObjectKeys.ts";
import { inspectReport, legacyReport, type InspectReport, type RecordsPerPart } from "./inspectReport.ts";
import { readStoredBytes, type StoredObject } from "./StoredObject.ts";

/** The clear 16-byte record header (FORMAT.md §5.1) that starts record 0. */
const RECORD_HEADER_LENGTH = 16;

function lengthIsPossible(c: number, e: number): boolean {
  try {
    recordCount(c, e);
    return true;
  } catch {
    return false;
  }
}

export async function inspectObject(
  object: StoredObject,
  verifyWith?: () => Promise<KeyProvider>,
): Promise<InspectReport> {
  const envelope = readEnvelopeMetadata(object.metadata);
  if (envelope === null) return legacyReport(object);
  const c = object.storedLength;
  const e = envelope.header.segmentExponent;
  if (!lengthIsPossible(c, e)) return inspectReport(object, envelope);
  const multipart = envelope.header.layout === "multipart";
  if (verifyWith === undefined) {
    let k: RecordsPerPart | undefined;
    if (multipart) {
      const head = await readStoredBytes(object, 0, RECORD_HEADER_LENGTH);
      k = { count: decodeRecordHeader(head).count, authenticated: false };
    }
    return inspectReport(object, envelope, k);
  }
  const keys = await openStoredObjectKeys(await verifyWith(), envelope);
  const record = await readStoredBytes(object, 0, recordLength(0, c, e));
  const opened = openRecord({ keys, record, index: 0, ciphertextLength: c });
  const md5 =
    envelope.sealedMd5 === undefined ? undefined : openPlaintextMd5(keys, envelope.sealedMd5).toString("hex");
  return inspectReport(
    object,
    envelope,
    multipart ? { count: opened.header.count, authenticated: true } : undefined,
    { dek: true, record0: true, ...(md5 === undefined ? {} : { plaintextMd5: md5 }) },
  );
}
