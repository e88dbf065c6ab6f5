/**
 * The frozen format v1 vectors (test/vectors/format-v1.json): our implementation must reproduce every byte
 * from the listed inputs and decrypt the listed ciphertext; and two readers that share no code with ours -
 * one on WebCrypto, one on the OpenSSL CLI with a BigInt GHASH - must decrypt them too, following only
 * docs/FORMAT.md.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { createEnvelope } from "../../src/crypto/createEnvelope.ts";
import {
  encodeEnvelopeMetadata,
  metadataBytes,
  readEnvelopeMetadata,
} from "../../src/crypto/envelopeMetadata.ts";
import type { Layout } from "../../src/crypto/formatConstants.ts";
import { derivePartKey } from "../../src/crypto/keyDerivation.ts";
import { unwrapDekAesKw, wrapDekAesKw } from "../../src/crypto/keyWrap.ts";
import { openObjectKeys } from "../../src/crypto/objectKeys.ts";
import { plaintextLength, recordCount } from "../../src/crypto/segmentMath.ts";
import { decryptObject, encryptPart } from "./helpers.ts";
import { independentGcmDecrypt } from "./independentGcm.ts";
import { haveOpenssl, opensslHkdf, opensslKeyUnwrap } from "./opensslCli.ts";

interface Vector {
  name: string;
  inputs: {
    layout: Layout;
    segmentExponent: number;
    kekRef: string;
    kek?: string;
    wrappedDek?: string;
    dek: string;
    salt: string;
    parts: { part: number; partNonce: string; plaintext: string }[];
  };
  expected: {
    commitment: string;
    envelopeHeader: string;
    wrappedDek: string;
    metadata: Record<string, string>;
    metadataBytes: number;
    partKeys: string[];
    plaintextLength: number;
    ciphertextLength: number;
    recordCount: number;
    partSegments?: number;
    ciphertext: string;
  };
}

const file = JSON.parse(readFileSync(new URL("../vectors/format-v1.json", import.meta.url), "utf8")) as {
  formatVersion: number;
  vectors: Vector[];
};
const hex = (s: string): Buffer => Buffer.from(s, "hex");

/** A from-the-spec reader on WebCrypto: metadata -> unwrap -> HKDF -> commitment -> records in order. */
async function webCryptoReader(v: Vector, dekOverride?: Buffer): Promise<Buffer> {
  const meta = v.expected.metadata;
  const header = Buffer.from(meta["x-amz-meta-s3proxy-hdr"] ?? "", "base64url");
  assert.equal(header[0], 1, "version");
  assert.equal(header[1], 1, "suite");
  const e = header[2] ?? 0;
  const layout = header[3];
  const salt = header.subarray(4, 36);
  const commitment = header.subarray(36, 68);
  let dek = dekOverride;
  if (dek === undefined) {
    const kek = await crypto.subtle.importKey("raw", hex(v.inputs.kek ?? ""), "AES-KW", false, ["unwrapKey"]);
    const unwrapped = await crypto.subtle.unwrapKey(
      "raw",
      Buffer.from(meta["x-amz-meta-s3proxy-dek"] ?? "", "base64url"),
      kek,
      "AES-KW",
      "AES-GCM",
      true,
      ["encrypt"],
    );
    dek = Buffer.from(await crypto.subtle.exportKey("raw", unwrapped));
  }
  const ikm = await crypto.subtle.importKey("raw", dek, "HKDF", false, ["deriveBits"]);
  const hkdf = async (info: Buffer): Promise<Buffer> =>
    Buffer.from(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, ikm, 256));
  assert.deepEqual(await hkdf(Buffer.from("s3proxy/v1 commitment")), commitment, "key commitment");

  const ct = hex(v.expected.ciphertext);
  const s = 2 ** e;
  const r = s + 32;
  const total = Math.ceil(ct.length / r);
  const out: Buffer[] = [];
  let partSegments = 0;
  for (let g = 0; g < total; g++) {
    const record = ct.subarray(g * r, Math.min((g + 1) * r, ct.length));
    const rh = record.subarray(0, 16);
    const part = rh.readUInt16BE(0);
    const index = rh.readUIntBE(10, 3);
    const count = rh.readUIntBE(13, 3);
    const info = Buffer.concat([Buffer.from("s3proxy/v1 part key"), rh.subarray(0, 10)]);
    const key = await crypto.subtle.importKey("raw", await hkdf(info), "AES-GCM", false, ["decrypt"]);
    const iv = Buffer.alloc(12);
    iv.writeUIntBE(index, 6, 6);
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: Buffer.concat([header, rh]), tagLength: 128 },
      key,
      record.subarray(16),
    );
    if (g === 0) partSegments = count;
    if (layout === 0) assert.deepEqual([part, index, count], [0, g, total]);
    else {
      const lastPart = Math.floor((total - 1) / partSegments);
      const p = Math.floor(g / partSegments);
      assert.deepEqual(
        [part, index, count],
        [p + 1, g - p * partSegments, p < lastPart ? partSegments : total - lastPart * partSegments],
      );
    }
    out.push(Buffer.from(plaintext));
  }
  return Buffer.concat(out);
}

void describe("format v1 test vectors", () => {
  void it("are version 1 and cover both layouts, 0-byte objects, exact and partial segments, opaque wrapped DEKs", () => {
    assert.equal(file.formatVersion, 1);
    assert.deepEqual(
      file.vectors.map((v) => v.name),
      [
        "single-empty",
        "single-short",
        "single-two-full-records",
        "single-three-records",
        "multipart-three-parts",
        "multipart-empty-last-part",
        "kms-wrapped-dek",
      ],
    );
  });

  for (const v of file.vectors) {
    const plaintext = Buffer.concat(v.inputs.parts.map((p) => hex(p.plaintext)));

    void it(`${v.name}: reproduces envelope, metadata, keys and ciphertext byte for byte`, async () => {
      const queue = [hex(v.inputs.dek), hex(v.inputs.salt)];
      const { header, dek } = createEnvelope({
        layout: v.inputs.layout,
        segmentExponent: v.inputs.segmentExponent,
        randomBytes: () => queue.shift() ?? Buffer.alloc(0),
      });
      assert.equal(header.commitment.toString("hex"), v.expected.commitment);
      assert.equal(header.bytes.toString("hex"), v.expected.envelopeHeader);
      const wrappedDek =
        v.inputs.kek === undefined ? hex(v.inputs.wrappedDek ?? "") : wrapDekAesKw(hex(v.inputs.kek), dek);
      assert.equal(wrappedDek.toString("hex"), v.expected.wrappedDek);
      const metadata = encodeEnvelopeMetadata({ header, kekRef: v.inputs.kekRef, wrappedDek });
      assert.deepEqual(metadata, v.expected.metadata);
      assert.equal(metadataBytes(metadata), v.expected.metadataBytes);
      const keys = openObjectKeys(header, dek);
      const parts: Buffer[] = [];
      for (const [i, p] of v.inputs.parts.entries()) {
        assert.equal(
          derivePartKey(dek, header.salt, p.part, hex(p.partNonce)).toString("hex"),
          v.expected.partKeys[i],
        );
        parts.push(
          await encryptPart(keys, p.part, hex(p.plaintext), { chunks: [1000], partNonce: hex(p.partNonce) }),
        );
      }
      assert.equal(Buffer.concat(parts).toString("hex"), v.expected.ciphertext);
      assert.equal(
        plaintextLength(v.expected.ciphertextLength, v.inputs.segmentExponent),
        v.expected.plaintextLength,
      );
      assert.equal(
        recordCount(v.expected.ciphertextLength, v.inputs.segmentExponent),
        v.expected.recordCount,
      );
    });

    void it(`${v.name}: decrypts through readEnvelopeMetadata and the decrypt stream`, async () => {
      const envelope = readEnvelopeMetadata(v.expected.metadata);
      assert.ok(envelope);
      const dek =
        v.inputs.kek === undefined
          ? hex(v.inputs.dek)
          : unwrapDekAesKw(hex(v.inputs.kek), envelope.wrappedDek);
      const keys = openObjectKeys(envelope.header, dek);
      assert.deepEqual(await decryptObject(keys, hex(v.expected.ciphertext), [777]), plaintext);
    });

    void it(`${v.name}: an independent WebCrypto reader decrypts it`, async () => {
      const dek = v.inputs.kek === undefined ? hex(v.inputs.dek) : undefined;
      assert.deepEqual(await webCryptoReader(v, dek), plaintext);
    });

    void it(`${v.name}: the OpenSSL CLI unwraps, derives and decrypts it`, { skip: !haveOpenssl }, () => {
      const header = hex(v.expected.envelopeHeader);
      const salt = header.subarray(4, 36);
      const dek =
        v.inputs.kek === undefined
          ? hex(v.inputs.dek)
          : opensslKeyUnwrap(hex(v.inputs.kek), hex(v.expected.wrappedDek));
      assert.equal(dek.toString("hex"), v.inputs.dek);
      assert.equal(
        opensslHkdf(dek, salt, Buffer.from("s3proxy/v1 commitment"), 32).toString("hex"),
        v.expected.commitment,
      );
      const ct = hex(v.expected.ciphertext);
      const r = 2 ** v.inputs.segmentExponent + 32;
      const out: Buffer[] = [];
      for (let at = 0; at < ct.length; at += r) {
        const record = ct.subarray(at, Math.min(at + r, ct.length));
        const rh = record.subarray(0, 16);
        const info = Buffer.concat([Buffer.from("s3proxy/v1 part key"), rh.subarray(0, 10)]);
        const key = opensslHkdf(dek, salt, info, 32);
        const nonce = Buffer.concat([Buffer.alloc(9), rh.subarray(10, 13)]);
        const pt = independentGcmDecrypt(
          key,
          nonce,
          Buffer.concat([header, rh]),
          record.subarray(16, record.length - 16),
          record.subarray(record.length - 16),
        );
        assert.ok(pt, `record at ${at} failed the independent GCM tag check`);
        out.push(pt);
        const badTag = Buffer.from(record.subarray(record.length - 16));
        badTag[0] = (badTag[0] ?? 0) ^ 1;
        const rejected = independentGcmDecrypt(
          key,
          nonce,
          Buffer.concat([header, rh]),
          record.subarray(16, record.length - 16),
          badTag,
        );
        assert.equal(rejected, undefined, "the independent GCM must reject a wrong tag");
      }
      assert.deepEqual(Buffer.concat(out), plaintext);
    });
  }
});
