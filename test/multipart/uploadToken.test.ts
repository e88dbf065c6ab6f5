/**
 * The upload token (docs/FORMAT.md §15): a fixed vector whose tag is recomputed here from the spec with plain
 * HMAC-SHA256 (HKDF written out per RFC 5869, not node's hkdfSync), round trips, and every kind of tampering —
 * any byte of the token, another upstream UploadId, another DEK, truncation — rejected.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { createEnvelope, encodeBase64url, wrapDekAesKw } from "../../src/crypto/index.ts";
import { joinClientUploadId, splitClientUploadId } from "../../src/multipart/clientUploadId.ts";
import {
  decodeUploadToken,
  deriveUploadTokenKey,
  encodeUploadToken,
  verifyUploadToken,
} from "../../src/multipart/uploadToken.ts";

const seq = (start: number, n: number): Buffer =>
  Buffer.from(Array.from({ length: n }, (_, i) => (start + i) & 0xff));
const DEK = seq(0x00, 32);
const SALT = seq(0x20, 32);
const KEK = seq(0x40, 32);
const UPSTREAM = "2~vector-upload-id_0123456789.abc";

function vectorEnvelope(dek = DEK, kekRef = "aeskw:test-kek-1", wrappedDek?: Buffer) {
  const { header } = createEnvelope({ layout: "multipart", dek, randomBytes: () => SALT });
  return { header, kekRef, wrappedDek: wrappedDek ?? wrapDekAesKw(KEK, dek) };
}

/** HKDF-SHA256 (RFC 5869 §2.2-2.3) for one 32-byte block, written out. */
function hkdf32(ikm: Buffer, salt: Buffer, info: string): Buffer {
  const prk = createHmac("sha256", salt).update(ikm).digest();
  return createHmac("sha256", prk)
    .update(Buffer.concat([Buffer.from(info, "ascii"), Buffer.of(1)]))
    .digest();
}

const EXPECTED =
  "AQEBEAEgISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-PwZAtCr7zM2NW88QFIMFMeQJCcoPkH2ujij-kV8tpgSDABBhZXNrdzp0ZXN0LWtlay0xACibp07AozlKQ7qpVUii0HvUrE9urWLE3RZoN9zFhoBGhlPbKbiZp2aNoHTTaMLsHJeVeiALlw18JA";

describe("upload token", () => {
  const envelope = vectorEnvelope();
  const key = deriveUploadTokenKey(DEK, SALT);
  const token = encodeUploadToken(envelope, key, UPSTREAM);

  it("encodes the fixed vector byte for byte", () => {
    assert.equal(token.length, 1 + 68 + 2 + 16 + 2 + 40 + 16);
    assert.equal(encodeBase64url(token), EXPECTED);
    // Layout of docs/FORMAT.md §15.
    assert.equal(token[0], 1);
    assert.ok(token.subarray(1, 69).equals(envelope.header.bytes));
    assert.equal(token.readUInt16BE(69), 16);
    assert.equal(token.subarray(71, 87).toString("ascii"), "aeskw:test-kek-1");
    assert.equal(token.readUInt16BE(87), 40);
    assert.ok(token.subarray(89, 129).equals(envelope.wrappedDek));
  });

  it("has the tag the spec defines (independent HKDF and HMAC)", () => {
    const tokenKey = hkdf32(DEK, SALT, "s3proxy/v1 upload token");
    assert.ok(tokenKey.equals(key), "token key");
    const u = Buffer.from(UPSTREAM, "utf8");
    const len = Buffer.alloc(2);
    len.writeUInt16BE(u.length);
    const signed = token.subarray(0, token.length - 16);
    const tag = createHmac("sha256", tokenKey)
      .update(Buffer.concat([len, u, signed]))
      .digest()
      .subarray(0, 16);
    assert.ok(token.subarray(token.length - 16).equals(tag));
  });

  it("decodes and verifies for its own upstream UploadId", () => {
    const decoded = decodeUploadToken(token);
    assert.ok(decoded);
    assert.ok(decoded.envelope.header.bytes.equals(envelope.header.bytes));
    assert.equal(decoded.envelope.header.layout, "multipart");
    assert.equal(decoded.envelope.kekRef, "aeskw:test-kek-1");
    assert.ok(decoded.envelope.wrappedDek.equals(envelope.wrappedDek));
    assert.equal(verifyUploadToken(decoded, key, UPSTREAM), true);
  });

  it("rejects every single-bit change anywhere in the token", () => {
    for (let i = 0; i < token.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const t = Buffer.from(token);
        t[i]! ^= bit;
        const decoded = decodeUploadToken(t);
        // Either it no longer parses, or its tag fails under the key of the (unchanged) DEK.
        if (decoded !== undefined) {
          assert.equal(verifyUploadToken(decoded, key, UPSTREAM), false, `byte ${i} bit ${bit}`);
        }
      }
    }
  });

  it("rejects another upstream UploadId, another DEK's key, truncation and extension", () => {
    const decoded = decodeUploadToken(token)!;
    assert.equal(verifyUploadToken(decoded, key, `${UPSTREAM}x`), false);
    assert.equal(verifyUploadToken(decoded, key, "2~other"), false);
    assert.equal(verifyUploadToken(decoded, deriveUploadTokenKey(seq(1, 32), SALT), UPSTREAM), false);
    assert.equal(verifyUploadToken(decoded, deriveUploadTokenKey(DEK, seq(0x21, 32)), UPSTREAM), false);
    for (const cut of [0, 1, 69, 88, token.length - 1])
      assert.equal(decodeUploadToken(token.subarray(0, cut)), undefined);
    assert.equal(decodeUploadToken(Buffer.concat([token, Buffer.of(0)])), undefined);
  });

  it("refuses malformed fields and single-part envelopes", () => {
    const wrongVersion = Buffer.from(token);
    wrongVersion[0] = 2;
    assert.equal(decodeUploadToken(wrongVersion), undefined);
    const single = createEnvelope({ layout: "single", dek: DEK, randomBytes: () => SALT });
    assert.throws(() => encodeUploadToken({ ...envelope, header: single.header }, key, UPSTREAM), RangeError);
    // A single-part header spliced into a token is refused when decoding too.
    const spliced = Buffer.from(token);
    single.header.bytes.copy(spliced, 1);
    assert.equal(decodeUploadToken(spliced), undefined);
    // A KEK reference that is not <scheme>:<id>.
    const badRef = Buffer.from(token);
    badRef.write(" ", 71, "ascii");
    assert.equal(decodeUploadToken(badRef), undefined);
  });

  it("sizes: local key 213 extra characters, KMS-like about 480, worst case 1148", () => {
    const local = encodeUploadToken(
      vectorEnvelope(DEK, "aeskw:dev-20250614-3fa94c0e"),
      key,
      "2~0123456789abcdefghijklmnopqrstuv",
    );
    const id = joinClientUploadId("2~0123456789abcdefghijklmnopqrstuv", local);
    assert.equal(id.length - 34, 213);
    const arn = "kms:arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const kms = encodeUploadToken(vectorEnvelope(DEK, arn, seq(7, 184)), key, "u");
    assert.equal(joinClientUploadId("u", kms).length - 1, 5 + Math.ceil(((89 + arn.length + 184) * 4) / 3));
    const worst = encodeUploadToken(vectorEnvelope(DEK, `kms:${"k".repeat(252)}`, seq(9, 512)), key, "u");
    assert.equal(joinClientUploadId("u", worst).length - 1, 1148);
    const decoded = decodeUploadToken(worst);
    assert.ok(decoded && verifyUploadToken(decoded, key, "u"));
  });
});

describe("client UploadId", () => {
  const token = Buffer.from("token bytes");

  it("appends the token after .s3p. and splits at the last marker", () => {
    for (const upstream of [
      "2~AbC-_09",
      "dfRtDYWFbkRONycy.Yxwh66Yjlx.cph0gtNBtJ",
      "weird.s3p.inside",
      "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA",
    ]) {
      const id = joinClientUploadId(upstream, token);
      assert.deepEqual(splitClientUploadId(id), { kind: "token", upstreamId: upstream, token });
    }
  });

  it("treats ids without a (canonical base64url) token as tokenless, whole", () => {
    for (const id of ["2~abc", "abc.s3p.", "abc.s3p.not base64", "abc.s3p.AAA=", ".s3p.AAAA", "a.s3p.A"]) {
      assert.deepEqual(splitClientUploadId(id), { kind: "tokenless", upstreamId: id });
    }
  });
});
