/**
 * The sliced, in-place AES-GCM-SIV decryption (src/legacy/gcmSivOpen.ts) against three other implementations:
 * RFC 8452 Appendix C's own vectors, pyca/cryptography (OpenSSL) through the frozen Constellation fixtures,
 * and @noble/ciphers' one-shot gcmsiv on random inputs, including lengths around the 1 MiB slice.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { gcmsiv } from "@noble/ciphers/aes.js";
import fc from "fast-check";
import { gcmSivOpenInPlace } from "../../src/legacy/gcmSivOpen.ts";
import { isLegacyError } from "../../src/legacy/legacyErrors.ts";
import { storedBody, vectors } from "./constellationVectors.ts";

const hex = (s: string): Buffer => Buffer.from(s, "hex");
const noYield = (): Promise<void> => Promise.resolve();

describe("gcmSivOpenInPlace", () => {
  it("opens RFC 8452 Appendix C.2 AEAD_AES_256_GCM_SIV examples", async () => {
    // RFC 8452 C.2: key 01 00.., nonce 03 00.., AAD empty.
    const key = hex(`01${"00".repeat(31)}`);
    const nonce = hex(`03${"00".repeat(11)}`);
    const empty = await gcmSivOpenInPlace(key, nonce, hex("07f5f4169bbf55a8400cd47ea6fd400f"));
    assert.equal(empty.length, 0);
    const eight = await gcmSivOpenInPlace(
      key,
      nonce,
      hex("c2ef328e5c71c83b843122130f7364b761e0b97427e3df28"),
    );
    assert.equal(eight.toString("hex"), "0100000000000000");
  });

  it("opens every pyca/cryptography fixture with the DEK and nonce it records", async () => {
    for (const f of vectors.objects) {
      const body = storedBody(f);
      const plain = await gcmSivOpenInPlace(hex(f.dekHex), body.subarray(0, 12), body.subarray(12), noYield);
      assert.equal(plain.length, f.plaintextLength, f.name);
      assert.equal(createHash("sha256").update(plain).digest("hex"), f.plaintextSha256, f.name);
    }
  });

  it("agrees with @noble/ciphers gcmsiv on the pyca fixtures", () => {
    for (const f of vectors.objects) {
      const body = storedBody(f);
      const plain = gcmsiv(hex(f.dekHex), body.subarray(0, 12)).decrypt(body.subarray(12));
      assert.equal(createHash("sha256").update(plain).digest("hex"), f.plaintextSha256, f.name);
    }
  });

  it("matches @noble/ciphers gcmsiv for random keys, nonces and lengths (slice edges included)", async () => {
    const slice = 1 << 20;
    for (const length of [0, 1, 15, 16, 17, slice - 1, slice, slice + 1, 2 * slice + 33]) {
      const key = randomBytes(32);
      const nonce = randomBytes(12);
      const plain = randomBytes(length);
      const sealed = Buffer.from(gcmsiv(key, nonce).encrypt(plain));
      let turns = 0;
      const got = await gcmSivOpenInPlace(key, nonce, sealed, () => Promise.resolve(turns++));
      assert.ok(got.equals(plain), `length ${length}`);
      assert.equal(turns, Math.max(0, Math.ceil(length / slice) - 1), `event-loop turns for ${length}`);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 300 }),
        async (key, nonce, plain) => {
          const sealed = Buffer.from(gcmsiv(key, nonce).encrypt(plain));
          const got = await gcmSivOpenInPlace(key, nonce, sealed, noYield);
          assert.ok(got.equals(Buffer.from(plain)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects any flipped bit and zeroes what it decrypted", async () => {
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const plain = randomBytes(100);
    const sealed = Buffer.from(gcmsiv(key, nonce).encrypt(plain));
    for (const bit of [0, 7, 8 * 50, 8 * 99 + 7, 8 * 100, 8 * 115 + 7]) {
      const copy = Buffer.from(sealed);
      copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      await assert.rejects(gcmSivOpenInPlace(key, nonce, copy, noYield), (e) =>
        isLegacyError(e, "LegacyDecryptFailed"),
      );
      assert.ok(
        copy.subarray(0, 100).every((b) => b === 0),
        `bit ${bit}: plaintext zeroed`,
      );
    }
    const otherNonce = Buffer.from(nonce);
    otherNonce[0] = (otherNonce[0] ?? 0) ^ 1;
    await assert.rejects(gcmSivOpenInPlace(key, otherNonce, Buffer.from(sealed)), (e) =>
      isLegacyError(e, "LegacyDecryptFailed"),
    );
    await assert.rejects(gcmSivOpenInPlace(key, nonce, Buffer.alloc(15)), (e) =>
      isLegacyError(e, "LegacyDecryptFailed"),
    );
  });
});
