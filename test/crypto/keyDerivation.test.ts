import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { LABEL_COMMITMENT } from "../../src/crypto/formatConstants.ts";
import { deriveCommitment, derivePartKey, partKeyInfo } from "../../src/crypto/keyDerivation.ts";
import { throwsWith } from "./helpers.ts";
import { haveOpenssl, opensslHkdf } from "./opensslCli.ts";

/** RFC 5869 §2.2-2.3 written out with HMAC, independent of node:crypto's hkdf. */
function referenceHkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  const prk = createHmac("sha256", salt).update(ikm).digest();
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; blocks.length * 32 < length; i++) {
    previous = createHmac("sha256", prk)
      .update(Buffer.concat([previous, info, Buffer.from([i])]))
      .digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

async function webCryptoHkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Promise<Buffer> {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return Buffer.from(
    await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, length * 8),
  );
}

const dek = Buffer.from("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "hex");
const salt = Buffer.from("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf", "hex");
const partNonce = Buffer.from("0102030405060708", "hex");

void describe("HKDF key derivation (RFC 5869)", () => {
  void it("the reference HKDF reproduces RFC 5869 test case 1", () => {
    const okm = referenceHkdf(
      Buffer.alloc(22, 0x0b),
      Buffer.from("000102030405060708090a0b0c", "hex"),
      Buffer.from("f0f1f2f3f4f5f6f7f8f9", "hex"),
      42,
    );
    assert.equal(
      okm.toString("hex"),
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
    );
  });

  void it("commitment = HKDF(DEK, salt, 'commitment' label)", async () => {
    const info = Buffer.from(LABEL_COMMITMENT, "ascii");
    const ours = deriveCommitment(dek, salt);
    assert.deepEqual(ours, referenceHkdf(dek, salt, info, 32));
    assert.deepEqual(ours, await webCryptoHkdf(dek, salt, info, 32));
  });

  void it("part key info is label || be16(part) || part nonce", () => {
    assert.equal(
      partKeyInfo(258, partNonce).toString("hex"),
      Buffer.from("s3proxy/v1 part key").toString("hex") + "01020102030405060708",
    );
  });

  void it("part keys match the reference and WebCrypto, and differ per part and per part nonce", async () => {
    const keys = new Set<string>();
    for (const part of [0, 1, 2, 10_000]) {
      for (const nonce of [partNonce, Buffer.alloc(8)]) {
        const ours = derivePartKey(dek, salt, part, nonce);
        const info = partKeyInfo(part, nonce);
        assert.deepEqual(ours, referenceHkdf(dek, salt, info, 32));
        assert.deepEqual(ours, await webCryptoHkdf(dek, salt, info, 32));
        keys.add(ours.toString("hex"));
      }
    }
    keys.add(deriveCommitment(dek, salt).toString("hex"));
    assert.equal(keys.size, 9);
  });

  void it("matches `openssl kdf HKDF`", { skip: !haveOpenssl }, () => {
    assert.deepEqual(deriveCommitment(dek, salt), opensslHkdf(dek, salt, Buffer.from(LABEL_COMMITMENT), 32));
    assert.deepEqual(
      derivePartKey(dek, salt, 7, partNonce),
      opensslHkdf(dek, salt, partKeyInfo(7, partNonce), 32),
    );
  });

  void it("rejects wrong input lengths", () => {
    throwsWith(() => deriveCommitment(dek.subarray(1), salt), "KeyInvalid");
    throwsWith(() => deriveCommitment(dek, salt.subarray(1)), "KeyInvalid");
    throwsWith(() => derivePartKey(dek, salt, 1, Buffer.alloc(7)), "KeyInvalid");
  });
});
