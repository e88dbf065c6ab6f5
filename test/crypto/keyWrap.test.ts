import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { aesKeyUnwrap, aesKeyWrap, unwrapDekAesKw, wrapDekAesKw } from "../../src/crypto/keyWrap.ts";
import { throwsWith } from "./helpers.ts";
import { haveOpenssl, opensslKeyUnwrap, opensslKeyWrap } from "./opensslCli.ts";

interface Rfc3394Vector {
  section: string;
  kek: string;
  keyData: string;
  ciphertext: string;
}

const { vectors } = JSON.parse(readFileSync(new URL("../vectors/rfc3394.json", import.meta.url), "utf8")) as {
  vectors: Rfc3394Vector[];
};
const hex = (s: string): Buffer => Buffer.from(s, "hex");

void describe("AES key wrap (RFC 3394)", () => {
  void it("has all six RFC 3394 §4 vectors", () => {
    assert.deepEqual(
      vectors.map((v) => v.section),
      ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6"],
    );
  });

  for (const v of vectors) {
    void it(`wraps and unwraps RFC 3394 §${v.section}`, () => {
      assert.equal(aesKeyWrap(hex(v.kek), hex(v.keyData)).toString("hex"), v.ciphertext.toLowerCase());
      assert.equal(aesKeyUnwrap(hex(v.kek), hex(v.ciphertext)).toString("hex"), v.keyData.toLowerCase());
    });

    void it(`matches WebCrypto AES-KW on RFC 3394 §${v.section}`, async () => {
      const kek = await crypto.subtle.importKey("raw", hex(v.kek), "AES-KW", false, ["wrapKey", "unwrapKey"]);
      const data = await crypto.subtle.importKey("raw", hex(v.keyData), "AES-GCM", true, ["encrypt"]);
      const wrapped = Buffer.from(await crypto.subtle.wrapKey("raw", data, kek, "AES-KW"));
      assert.equal(wrapped.toString("hex"), v.ciphertext.toLowerCase());
    });

    void it(`matches the OpenSSL CLI on RFC 3394 §${v.section}`, { skip: !haveOpenssl }, () => {
      assert.equal(opensslKeyWrap(hex(v.kek), hex(v.keyData)).toString("hex"), v.ciphertext.toLowerCase());
      assert.equal(opensslKeyUnwrap(hex(v.kek), hex(v.ciphertext)).toString("hex"), v.keyData.toLowerCase());
    });
  }

  const kek = Buffer.alloc(32, 0x42);
  const dek = Buffer.alloc(32, 0x17);

  void it("wraps a DEK to 40 bytes and back", () => {
    const wrapped = wrapDekAesKw(kek, dek);
    assert.equal(wrapped.length, 40);
    assert.deepEqual(unwrapDekAesKw(kek, wrapped), dek);
  });

  void it("fails the integrity check with the wrong KEK", () => {
    const wrapped = wrapDekAesKw(kek, dek);
    throwsWith(() => unwrapDekAesKw(Buffer.alloc(32, 0x43), wrapped), "KeyUnwrapFailed");
  });

  void it("fails the integrity check for every single-bit change of the wrapped DEK", () => {
    const wrapped = wrapDekAesKw(kek, dek);
    for (let bit = 0; bit < wrapped.length * 8; bit++) {
      const bad = Buffer.from(wrapped);
      bad[bit >> 3] = (bad[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      throwsWith(() => unwrapDekAesKw(kek, bad), "KeyUnwrapFailed");
    }
  });

  void it("rejects impossible lengths", () => {
    throwsWith(() => unwrapDekAesKw(kek, Buffer.alloc(39)), "KeyUnwrapFailed");
    throwsWith(() => aesKeyUnwrap(kek, Buffer.alloc(16)), "KeyUnwrapFailed");
    throwsWith(() => aesKeyUnwrap(kek, Buffer.alloc(33)), "KeyUnwrapFailed");
    throwsWith(() => aesKeyWrap(kek, Buffer.alloc(8)), "KeyInvalid");
    throwsWith(() => aesKeyWrap(kek, Buffer.alloc(20)), "KeyInvalid");
    throwsWith(() => aesKeyWrap(Buffer.alloc(31), dek), "KeyInvalid");
    throwsWith(() => wrapDekAesKw(kek, Buffer.alloc(16)), "KeyInvalid");
  });
});
