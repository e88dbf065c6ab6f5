/**
 * The optional sealed plaintext MD5 (docs/FORMAT.md §2.1): a frozen vector (test/vectors/plaintext-md5-v1.json)
 * reproduced byte for byte and recomputed with WebCrypto (HKDF and AES-GCM from crypto.subtle, no code shared
 * with node:crypto's createCipheriv path), and every way the sealed value can be wrong.
 */
import assert from "node:assert/strict";
import { createHash, webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { encodeEnvelopeHeader } from "../../src/crypto/envelopeHeader.ts";
import { deriveCommitment } from "../../src/crypto/keyDerivation.ts";
import { openObjectKeys } from "../../src/crypto/objectKeys.ts";
import { openPlaintextMd5, sealPlaintextMd5 } from "../../src/crypto/plaintextMd5.ts";
import { newKeys, throwsWith } from "./helpers.ts";

interface Md5Vector {
  dek: string;
  salt: string;
  segmentExponent: number;
  layout: "single" | "multipart";
  plaintext: string;
  header: string;
  md5: string;
  sealed: string;
}

const vector = JSON.parse(
  readFileSync(new URL("../vectors/plaintext-md5-v1.json", import.meta.url), "utf8"),
) as Md5Vector;

function vectorKeys(): ReturnType<typeof openObjectKeys> {
  const dek = Buffer.from(vector.dek, "hex");
  const salt = Buffer.from(vector.salt, "hex");
  const header = encodeEnvelopeHeader({
    segmentExponent: vector.segmentExponent,
    layout: vector.layout,
    salt,
    commitment: deriveCommitment(dek, salt),
  });
  return openObjectKeys(header, dek);
}

/** HKDF-SHA256 + AES-256-GCM with WebCrypto, straight from FORMAT §2.1 / §4.2. */
async function sealWithWebCrypto(dek: Buffer, salt: Buffer, header: Buffer, md5: Buffer): Promise<Buffer> {
  const { subtle } = webcrypto;
  const ikm = await subtle.importKey("raw", dek, "HKDF", false, ["deriveKey"]);
  const key = await subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt, info: Buffer.from("s3proxy/v1 plaintext md5", "ascii") },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt"],
  );
  const out = await subtle.encrypt(
    { name: "AES-GCM", iv: new Uint8Array(12), additionalData: header, tagLength: 128 },
    key,
    md5,
  );
  return Buffer.from(out);
}

void describe("sealed plaintext MD5 (FORMAT §2.1)", () => {
  void it("reproduces the frozen vector", () => {
    const keys = vectorKeys();
    assert.equal(keys.header.bytes.toString("hex"), vector.header);
    const md5 = createHash("md5").update(Buffer.from(vector.plaintext, "utf8")).digest();
    assert.equal(md5.toString("hex"), vector.md5);
    assert.equal(sealPlaintextMd5(keys, md5).toString("hex"), vector.sealed);
    assert.equal(openPlaintextMd5(keys, Buffer.from(vector.sealed, "hex")).toString("hex"), vector.md5);
  });

  void it("matches an independent WebCrypto implementation", async () => {
    const sealed = await sealWithWebCrypto(
      Buffer.from(vector.dek, "hex"),
      Buffer.from(vector.salt, "hex"),
      Buffer.from(vector.header, "hex"),
      Buffer.from(vector.md5, "hex"),
    );
    assert.equal(sealed.toString("hex"), vector.sealed);
  });

  void it("rejects any flipped bit, a value sealed for another object, and a wrong length", () => {
    const keys = vectorKeys();
    const sealed = Buffer.from(vector.sealed, "hex");
    for (let bit = 0; bit < sealed.length * 8; bit += 13) {
      const bad = Buffer.from(sealed);
      bad[bit >> 3] = (bad[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      throwsWith(() => openPlaintextMd5(keys, bad), "DecryptAuthFailed");
    }
    const other = newKeys("single", 16, "another object");
    throwsWith(() => openPlaintextMd5(other, sealed), "DecryptAuthFailed");
    throwsWith(() => openPlaintextMd5(keys, sealed.subarray(0, 31)), "FormatMalformedEnvelope");
    throwsWith(() => sealPlaintextMd5(keys, Buffer.alloc(15)), "FormatMalformedEnvelope");
  });
});
