/**
 * Produced test/vectors/format-v1.json once; kept so reviewers can see where every byte came from. The vectors
 * are frozen: never regenerate them to make a test pass. A format change is a new version with new vectors.
 *
 *   node --import tsx test/vectors/generateFormatV1.ts > test/vectors/format-v1.json
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { createEnvelope } from "../../src/crypto/createEnvelope.ts";
import { createEncryptStream } from "../../src/crypto/encryptStream.ts";
import { encodeEnvelopeMetadata, metadataBytes } from "../../src/crypto/envelopeMetadata.ts";
import type { Layout } from "../../src/crypto/formatConstants.ts";
import { derivePartKey } from "../../src/crypto/keyDerivation.ts";
import { wrapDekAesKw } from "../../src/crypto/keyWrap.ts";
import { openObjectKeys } from "../../src/crypto/objectKeys.ts";
import { partSegmentsFromFirstRecord } from "../../src/crypto/openRecord.ts";
import { plaintextLength, recordCount, recordLength } from "../../src/crypto/segmentMath.ts";

const label = (text: string, length = 32): Buffer => {
  const out = Buffer.alloc(length);
  for (let at = 0, i = 0; at < length; at += 32, i++) {
    createHash("sha256").update(`s3proxy format v1 test vector: ${text} #${i}`).digest().copy(out, at);
  }
  return out;
};
const patterned = (length: number): Buffer => Buffer.from(Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff));
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

interface Spec {
  name: string;
  description: string;
  layout: Layout;
  segmentExponent: number;
  kekRef: string;
  /** Opaque provider blob (e.g. KMS); otherwise the DEK is wrapped with the aeskw KEK. */
  opaqueWrappedDek?: Buffer;
  parts: Buffer[];
}

const KEK = label("KEK");
const specs: Spec[] = [
  {
    name: "single-empty",
    description: "0-byte object: one empty final record (32 bytes)",
    layout: "single",
    segmentExponent: 16,
    kekRef: "aeskw:test-kek-1",
    parts: [Buffer.alloc(0)],
  },
  {
    name: "single-short",
    description: "short ASCII object, default 64 KiB segments",
    layout: "single",
    segmentExponent: 16,
    kekRef: "aeskw:test-kek-1",
    parts: [Buffer.from("s3proxy encryption format v1\n", "ascii")],
  },
  {
    name: "single-two-full-records",
    description: "plaintext exactly two 4 KiB segments: no extra empty record",
    layout: "single",
    segmentExponent: 12,
    kekRef: "aeskw:test-kek-1",
    parts: [patterned(8192)],
  },
  {
    name: "single-three-records",
    description: "two full 4 KiB records and a short final one",
    layout: "single",
    segmentExponent: 12,
    kekRef: "aeskw:test-kek-1",
    parts: [patterned(9000)],
  },
  {
    name: "multipart-three-parts",
    description: "multipart, K = 2 records per part, short last part",
    layout: "multipart",
    segmentExponent: 12,
    kekRef: "aeskw:test-kek-1",
    parts: [patterned(8192), patterned(8192).reverse(), patterned(100)],
  },
  {
    name: "multipart-empty-last-part",
    description: "multipart whose last part is empty: the object ends with an empty final record",
    layout: "multipart",
    segmentExponent: 12,
    kekRef: "aeskw:test-kek-1",
    parts: [patterned(4096), Buffer.alloc(0)],
  },
  {
    name: "kms-wrapped-dek",
    description: "DEK wrapped by a remote provider: the wrapped DEK is an opaque blob (metadata budget example)",
    layout: "single",
    segmentExponent: 16,
    kekRef: "kms:arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    opaqueWrappedDek: label("KMS ciphertext blob", 184),
    parts: [Buffer.from("hello", "ascii")],
  },
];

async function build(spec: Spec): Promise<unknown> {
  const dek = label(`${spec.name} DEK`);
  const salt = label(`${spec.name} salt`);
  const queue = [dek, salt];
  const { header } = createEnvelope({
    layout: spec.layout,
    segmentExponent: spec.segmentExponent,
    randomBytes: () => queue.shift() ?? Buffer.alloc(0),
  });
  const keys = openObjectKeys(header, dek);
  const wrappedDek = spec.opaqueWrappedDek ?? wrapDekAesKw(KEK, dek);
  const metadata = encodeEnvelopeMetadata({ header, kekRef: spec.kekRef, wrappedDek });
  const parts = [];
  const ciphertexts: Buffer[] = [];
  for (const [i, plaintext] of spec.parts.entries()) {
    const part = spec.layout === "single" ? 0 : i + 1;
    const partNonce = label(`${spec.name} part ${part} nonce`, 8);
    const stream = createEncryptStream({ keys, part, plaintextLength: plaintext.length, randomBytes: () => partNonce });
    ciphertexts.push(await buffer(Readable.from([plaintext]).pipe(stream)));
    parts.push({ part, partNonce: hex(partNonce), plaintext: hex(plaintext), partKey: hex(derivePartKey(dek, salt, part, partNonce)) });
  }
  const ciphertext = Buffer.concat(ciphertexts);
  const e = spec.segmentExponent;
  return {
    name: spec.name,
    description: spec.description,
    inputs: {
      layout: spec.layout,
      segmentExponent: e,
      kekRef: spec.kekRef,
      ...(spec.opaqueWrappedDek ? { wrappedDek: hex(spec.opaqueWrappedDek) } : { kek: hex(KEK) }),
      dek: hex(dek),
      salt: hex(salt),
      parts: parts.map(({ part, partNonce, plaintext }) => ({ part, partNonce, plaintext })),
    },
    expected: {
      commitment: hex(header.commitment),
      envelopeHeader: hex(header.bytes),
      wrappedDek: hex(wrappedDek),
      metadata,
      metadataBytes: metadataBytes(metadata),
      partKeys: parts.map((p) => p.partKey),
      plaintextLength: plaintextLength(ciphertext.length, e),
      ciphertextLength: ciphertext.length,
      recordCount: recordCount(ciphertext.length, e),
      ...(spec.layout === "multipart"
        ? { partSegments: partSegmentsFromFirstRecord(keys, ciphertext.subarray(0, recordLength(0, ciphertext.length, e)), ciphertext.length) }
        : {}),
      ciphertext: hex(ciphertext),
    },
  };
}

const vectors = [];
for (const spec of specs) vectors.push(await build(spec));
process.stdout.write(
  `${JSON.stringify(
    {
      description:
        "s3proxy encryption format v1 test vectors (docs/FORMAT.md). Frozen: existing vectors never change. " +
        "All byte strings are lowercase hex. Randomness is replaced by the listed dek, salt and part nonces.",
      formatVersion: 1,
      vectors,
    },
    null,
    2,
  )}\n`,
);
