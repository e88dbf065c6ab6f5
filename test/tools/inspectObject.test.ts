/** inspectObject/inspectReport on objects made by the format module; formatInspectReport's text. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { formatInspectReport } from "../../src/tools/formatInspectReport.ts";
import { inspectObject } from "../../src/tools/inspectObject.ts";
import { encryptedObject, memoryObject, testProvider } from "./storedObjectFixture.ts";

const provider = testProvider(["kek-a"]);
const S = 4096;

describe("inspectObject", () => {
  it("reports a single-part envelope without keys and without reading the body", async () => {
    const { stored, metadata } = await encryptedObject(provider, randomBytes(3 * S + 5), { sealMd5: true });
    const object = memoryObject(stored, metadata);
    const r = await inspectObject(object);
    assert.deepEqual(object.reads, []);
    assert.equal(r.encrypted, true);
    const hdr = Buffer.from(metadata["x-amz-meta-s3proxy-hdr"]!, "base64url");
    assert.deepEqual(r.envelope, {
      formatVersion: 1,
      suite: 1,
      suiteName: "AES-256-GCM records, HKDF-SHA256, 32-byte key commitment",
      segmentExponent: 12,
      segmentSize: 4096,
      layout: "single",
      salt: hdr.subarray(4, 36).toString("hex"),
      commitment: hdr.subarray(36, 68).toString("hex"),
      kekRef: "aeskw:kek-a",
      kekScheme: "aeskw",
      wrappedDekLength: 40,
      sealedMd5: true,
      metadataBytes: 66 + 91 + 11 + 54 + 22 + 43,
    });
    assert.equal(r.storedLength, stored.length);
    assert.equal(r.plaintextLength, 3 * S + 5);
    assert.equal(r.recordCount, 4);
    assert.equal(r.multipart, undefined);
    const text = formatInspectReport(r);
    assert.match(text, /^KEK reference: +aeskw:kek-a$/m);
    assert.match(text, /^sealed MD5: +present/m);
    assert.match(text, /^plaintext length: +12293 B \(12\.00 KiB\)$/m);
  });

  it("reads K of a multipart object from record 0 (one ranged read of 16 bytes), authenticated with --verify", async () => {
    const plain = randomBytes(5 * S + 1);
    const { stored, metadata } = await encryptedObject(provider, plain, {
      layout: "multipart",
      partSize: 2 * S,
    });
    const object = memoryObject(stored, metadata);
    const r = await inspectObject(object);
    assert.deepEqual(object.reads, [[0, 16]]);
    assert.deepEqual(r.multipart, {
      recordsPerPart: 2,
      recordsPerPartAuthenticated: false,
      partCount: 3,
      partPlaintextLength: 2 * S,
      lastPartPlaintextLength: S + 1,
    });
    assert.match(formatInspectReport(r), /records per part: +2 \(from record 0's header, not authenticated/);
    const verified = await inspectObject(memoryObject(stored, metadata), () => Promise.resolve(provider));
    assert.equal(verified.multipart?.recordsPerPartAuthenticated, true);
    assert.deepEqual(verified.verified, { dek: true, record0: true });
  });

  it("opens the sealed MD5 with --verify", async () => {
    const plain = Buffer.from("hello");
    const { stored, metadata } = await encryptedObject(provider, plain, { sealMd5: true });
    const r = await inspectObject(memoryObject(stored, metadata), () => Promise.resolve(provider));
    assert.equal(r.verified?.plaintextMd5, "5d41402abc4b2a76b9719d911017c592");
  });

  it("says so for legacy objects, impossible lengths and wrong keys", async () => {
    const legacy = await inspectObject(memoryObject(Buffer.from("x"), { "x-amz-meta-a": "b" }));
    assert.deepEqual(legacy, { object: "memory", storedLength: 1, encrypted: false });
    assert.match(formatInspectReport(legacy), /^encryption: +none/m);
    const { stored, metadata } = await encryptedObject(provider, randomBytes(100));
    const short = await inspectObject(memoryObject(stored.subarray(0, 20), metadata));
    assert.match(short.lengthProblem ?? "", /LengthInvalid/);
    await assert.rejects(
      inspectObject(memoryObject(stored, metadata), () => Promise.resolve(testProvider(["kek-b"]))),
      { code: "KekNotFound" },
    );
  });
});
