/**
 * The public surface used the way the S3 layer will: PUT (envelope, wrap, metadata, encrypt), GET (recognise,
 * unwrap, commit, plan, decrypt), re-wrap under a new KEK, and the key failures a reader can meet.
 */
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, it } from "node:test";
import {
  ciphertextLength,
  createDecryptStream,
  createEncryptStream,
  createEnvelope,
  encodeEnvelopeMetadata,
  kekScheme,
  META_DEK,
  META_KEK,
  metadataBytes,
  openObjectKeys,
  planRange,
  plaintextLength,
  readEnvelopeMetadata,
  S3_USER_METADATA_LIMIT,
  unwrapDekAesKw,
  wrapDekAesKw,
} from "../../src/crypto/index.ts";
import { pattern, throwsWith } from "./helpers.ts";

const kek1 = Buffer.alloc(32, 0x11);
const kek2 = Buffer.alloc(32, 0x22);

async function put(body: Buffer, kek: Buffer): Promise<{ metadata: Record<string, string>; stored: Buffer }> {
  const { header, dek } = createEnvelope({ layout: "single" });
  const metadata = encodeEnvelopeMetadata({
    header,
    kekRef: "aeskw:kek-1",
    wrappedDek: wrapDekAesKw(kek, dek),
  });
  assert.ok(metadataBytes(metadata) < S3_USER_METADATA_LIMIT);
  const keys = openObjectKeys(header, dek);
  const stored = await buffer(
    Readable.from([body]).pipe(createEncryptStream({ keys, part: 0, plaintextLength: body.length })),
  );
  assert.equal(stored.length, ciphertextLength(body.length, header.segmentExponent));
  return { metadata, stored };
}

async function get(
  metadata: Record<string, string>,
  stored: Buffer,
  kek: Buffer,
  range?: [number, number],
): Promise<Buffer> {
  const envelope = readEnvelopeMetadata(metadata);
  assert.ok(envelope, "ours");
  assert.equal(kekScheme(envelope.kekRef), "aeskw");
  const keys = openObjectKeys(envelope.header, unwrapDekAesKw(kek, envelope.wrappedDek));
  const e = envelope.header.segmentExponent;
  assert.equal(
    plaintextLength(stored.length, e),
    stored.length - 32 * Math.ceil(stored.length / (2 ** e + 32)),
  );
  const plan = planRange({
    segmentExponent: e,
    ciphertextLength: stored.length,
    ...(range ? { start: range[0], end: range[1] } : {}),
  });
  return buffer(
    Readable.from([stored.subarray(plan.cipherStart, plan.cipherEnd)]).pipe(
      createDecryptStream({ keys, plan }),
    ),
  );
}

void describe("public API, PUT and GET", async () => {
  const body = pattern(200_000, 5);
  const { metadata, stored } = await put(body, kek1);

  void it("round-trips whole and ranged", async () => {
    assert.deepEqual(await get(metadata, stored, kek1), body);
    assert.deepEqual(await get(metadata, stored, kek1, [65_000, 140_000]), body.subarray(65_000, 140_000));
  });

  void it("passes objects without an envelope through as not ours", () => {
    assert.equal(readEnvelopeMetadata({ "content-type": "text/plain", "x-amz-meta-user": "x" }), null);
  });

  void it("re-wraps under a new KEK by rewriting only the kek/dek metadata", async () => {
    const envelope = readEnvelopeMetadata(metadata);
    assert.ok(envelope);
    const dek = unwrapDekAesKw(kek1, envelope.wrappedDek);
    const rewrapped = encodeEnvelopeMetadata({
      ...envelope,
      kekRef: "aeskw:kek-2",
      wrappedDek: wrapDekAesKw(kek2, dek),
    });
    assert.notEqual(rewrapped[META_DEK], metadata[META_DEK]);
    assert.equal(rewrapped[META_KEK], "aeskw:kek-2");
    assert.deepEqual(await get(rewrapped, stored, kek2), body);
  });

  void it("fails with KeyUnwrapFailed under the wrong KEK", async () => {
    await assert.rejects(get(metadata, stored, kek2), (err: unknown) => {
      assert.equal((err as { code?: string }).code, "KeyUnwrapFailed");
      return true;
    });
  });

  void it("fails with KeyCommitmentMismatch when another object's wrapped DEK is swapped in", async () => {
    const other = await put(pattern(10), kek1);
    const swapped = { ...metadata, [META_DEK]: other.metadata[META_DEK] ?? "" };
    const envelope = readEnvelopeMetadata(swapped);
    assert.ok(envelope);
    const dek = unwrapDekAesKw(kek1, envelope.wrappedDek); // unwraps fine: same KEK
    throwsWith(() => openObjectKeys(envelope.header, dek), "KeyCommitmentMismatch");
  });
});
