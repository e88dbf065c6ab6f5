/**
 * Encrypts one record in one call: the reference for what the encrypt stream produces incrementally, and a
 * tool for tests that need to build hostile objects record by record (reordered, mixed parts, wrong counts).
 * AES-256-GCM per NIST SP 800-38D with the nonce and AAD of recordHeader.ts.
 */
import { createCipheriv } from "node:crypto";
import type { ObjectKeys } from "./objectKeys.ts";
import { encodeRecordHeader, type RecordHeader, recordAad, recordNonce } from "./recordHeader.ts";
import { SEGMENT_CIPHER, TAG_LENGTH } from "./formatConstants.ts";

export function sealRecord(keys: ObjectKeys, header: RecordHeader, plaintext: Uint8Array): Buffer {
  const headerBytes = encodeRecordHeader(header);
  const cipher = createCipheriv(
    SEGMENT_CIPHER,
    keys.partKey(header.part, header.partNonce),
    recordNonce(header.index),
    {
      authTagLength: TAG_LENGTH,
    },
  );
  cipher.setAAD(recordAad(keys.header.bytes, headerBytes));
  return Buffer.concat([headerBytes, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}
