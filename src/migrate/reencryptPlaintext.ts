/**
 * A plaintext held in memory as a new format v1 single-part object (docs/FORMAT.md §2-5), as PutObject through
 * the proxy would store it: a fresh DEK wrapped by the active key provider, the records, and the plaintext MD5
 * sealed in the envelope (§2.1) so the object shows the ETag S3 would give the plaintext.
 */
import { createHash } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  createEncryptStream,
  encodeEnvelopeMetadata,
  openObjectKeys,
  sealPlaintextMd5,
} from "../crypto/index.ts";
import type { KeyProvider } from "../keys/index.ts";
import { createWrappedEnvelope } from "../pipeline/createWrappedEnvelope.ts";

export interface ReencryptedObject {
  /** The stored bytes. */
  readonly body: Buffer;
  /** x-amz-meta-s3proxy-* entries (full header names). */
  readonly envelope: Record<string, string>;
  /** `<scheme>:<id>` of the KEK that wrapped the new DEK. */
  readonly kekRef: string;
}

export async function reencryptPlaintext(keys: KeyProvider, plaintext: Buffer): Promise<ReencryptedObject> {
  const { envelope: wrapped, derived: objectKeys } = await createWrappedEnvelope(
    keys,
    "single",
    openObjectKeys,
  );
  const md5 = createHash("md5").update(plaintext).digest();
  const chunks: Buffer[] = [];
  await pipeline(
    Readable.from([plaintext]),
    createEncryptStream({ keys: objectKeys, part: 0, plaintextLength: plaintext.byteLength }),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
  );
  return {
    body: Buffer.concat(chunks),
    envelope: encodeEnvelopeMetadata({ ...wrapped, sealedMd5: sealPlaintextMd5(objectKeys, md5) }),
    kekRef: wrapped.kekRef,
  };
}
