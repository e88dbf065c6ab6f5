/**
 * The executable contract of src/keys/KeyProvider.ts: every KEK source (local AES-KW now; KMS, PKCS#11 and a
 * key service later) runs this suite, as hono runs one router suite against every router. A provider that
 * passes can be plugged into the pipeline without the pipeline knowing which it is.
 *
 *   runKeyProviderContract("kms (localstack)", async () => ({ provider, rotate, bindsContext: true }));
 *
 * DEKs come from a seeded generator, so a failure reproduces.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CryptoError, isValidKekRef } from "../../src/crypto/index.ts";
import type { DekContext } from "../../src/keys/dekContext.ts";
import { isKeyProviderError, type KeyErrorCode } from "../../src/keys/errors.ts";
import type { KeyProvider } from "../../src/keys/KeyProvider.ts";
import { assertNoSecrets, errorTexts, seededRandom } from "./helpers.ts";

export interface KeyProviderFixture {
  /** A provider with at least one key. */
  provider: KeyProvider;
  /**
   * Rotation as an operator does it: a provider that holds the same keys plus a new one, which is active.
   * The fixture's `provider` stays usable with the old key set.
   */
  rotate(): Promise<KeyProvider>;
  /** Whether the wrapped DEK is bound to the DekContext (KMS: yes; AES-KW: cannot be). */
  bindsContext: boolean;
  /** Key material the fixture knows (KEKs); no error may contain it. Called after rotate(). */
  secrets?(): readonly Buffer[];
}

const DEK_LENGTH = 32;

function contextOf(seed: string): DekContext {
  return { formatVersion: 1, salt: Buffer.from(seededRandom(`salt/${seed}`)(32)) };
}

function dekOf(seed: string): Buffer {
  return Buffer.from(seededRandom(`dek/${seed}`)(DEK_LENGTH));
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail("expected the call to fail");
}

function assertKeyError(err: unknown, code: KeyErrorCode): void {
  assert.ok(isKeyProviderError(err, code), `expected ${code}, got ${errorTexts(err).split("\n")[0]}`);
  assert.equal(err.retryable, false);
}

/** Single-bit flips spread over the wrapped DEK, plus truncation, extension and an empty value. */
function corruptions(wrapped: Buffer): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  const step = Math.max(1, Math.floor(wrapped.length / 16));
  for (let at = 0; at < wrapped.length; at += step) {
    for (const bit of [0, 7]) {
      const flipped = Buffer.from(wrapped);
      flipped[at] = (flipped[at] ?? 0) ^ (1 << bit);
      out.push([`bit ${bit} of byte ${at} flipped`, flipped]);
    }
  }
  out.push(["last byte dropped", wrapped.subarray(0, -1)]);
  out.push(["last 8 bytes dropped", wrapped.subarray(0, -8)]);
  out.push(["8 bytes appended", Buffer.concat([wrapped, Buffer.alloc(8, 0xa5)])]);
  out.push(["empty", Buffer.alloc(0)]);
  return out;
}

export function runKeyProviderContract(
  name: string,
  makeFixture: () => Promise<KeyProviderFixture>,
  options: { generatesDataKeys?: boolean } = {},
): void {
  const generates = options.generatesDataKeys ?? false;
  void describe(`KeyProvider contract: ${name}`, () => {
    void it(`${generates ? "generates" : "does not generate"} data keys, as declared`, async () => {
      const { provider } = await makeFixture();
      assert.equal(provider.generateDataKey !== undefined, generates);
    });

    void it("names a valid scheme and an active key among its keys", async () => {
      const { provider } = await makeFixture();
      assert.match(provider.scheme, /^[a-z][a-z0-9]{0,15}$/);
      assert.ok(provider.listKekIds().includes(provider.activeKekId()));
      assert.ok(isValidKekRef(`${provider.scheme}:${provider.activeKekId()}`));
    });

    void it("wraps and unwraps a DEK; the reference names the active key", async () => {
      const { provider } = await makeFixture();
      const dek = dekOf("round-trip");
      const context = contextOf("round-trip");
      const { kekRef, wrappedDek } = await provider.wrapDek(dek, context);
      assert.equal(kekRef, `${provider.scheme}:${provider.activeKekId()}`);
      assert.ok(isValidKekRef(kekRef));
      assert.ok(
        wrappedDek.length >= 1 && wrappedDek.length <= 512,
        `wrapped DEK is ${wrappedDek.length} bytes`,
      );
      assert.equal(wrappedDek.indexOf(dek), -1, "the wrapped DEK contains the plaintext DEK");
      assert.deepEqual(await provider.unwrapDek(kekRef, wrappedDek, context), dek);
    });

    void it("keeps no reference to the caller's buffers", async () => {
      const { provider } = await makeFixture();
      const dek = dekOf("aliasing");
      const original = Buffer.from(dek);
      const context = contextOf("aliasing");
      const { kekRef, wrappedDek } = await provider.wrapDek(dek, context);
      dek.fill(0);
      const first = await provider.unwrapDek(kekRef, wrappedDek, context);
      assert.deepEqual(first, original);
      first.fill(0xff);
      assert.deepEqual(await provider.unwrapDek(kekRef, wrappedDek, context), original);
    });

    void it("wraps the same DEK differently under different keys", async () => {
      const fixture = await makeFixture();
      const rotated = await fixture.rotate();
      const dek = dekOf("two-keys");
      const context = contextOf("two-keys");
      const before = await fixture.provider.wrapDek(dek, context);
      const after = await rotated.wrapDek(dek, context);
      assert.notEqual(after.kekRef, before.kekRef);
      assert.notDeepEqual(after.wrappedDek, before.wrappedDek);
    });

    void it("names the new key after rotation and still unwraps DEKs wrapped under the old one", async () => {
      const fixture = await makeFixture();
      const oldActive = fixture.provider.activeKekId();
      const dek = dekOf("rotation");
      const context = contextOf("rotation");
      const old = await fixture.provider.wrapDek(dek, context);
      const rotated = await fixture.rotate();
      assert.notEqual(rotated.activeKekId(), oldActive);
      assert.ok(rotated.listKekIds().includes(oldActive));
      assert.ok(rotated.listKekIds().includes(rotated.activeKekId()));
      const fresh = await rotated.wrapDek(dek, context);
      assert.equal(fresh.kekRef, `${rotated.scheme}:${rotated.activeKekId()}`);
      assert.deepEqual(await rotated.unwrapDek(old.kekRef, old.wrappedDek, context), dek);
      assert.deepEqual(await rotated.unwrapDek(fresh.kekRef, fresh.wrappedDek, context), dek);
    });

    void it("refuses an unknown KEK id or another scheme with KekNotFound", async () => {
      const { provider } = await makeFixture();
      const context = contextOf("unknown");
      const { wrappedDek } = await provider.wrapDek(dekOf("unknown"), context);
      const otherScheme = provider.scheme === "zz" ? "zy" : "zz";
      for (const ref of [
        `${provider.scheme}:s3proxy-contract-no-such-key`,
        `${otherScheme}:${provider.activeKekId()}`,
      ]) {
        const err = await failure(provider.unwrapDek(ref, wrappedDek, context));
        assertKeyError(err, "KekNotFound");
        assert.match((err as Error).message, new RegExp(ref.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      }
    });

    void it("refuses a DEK wrapped under another existing key with DekUnwrapFailed", async () => {
      const fixture = await makeFixture();
      const context = contextOf("wrong-key");
      const { wrappedDek } = await fixture.provider.wrapDek(dekOf("wrong-key"), context);
      const rotated = await fixture.rotate();
      const newRef = `${rotated.scheme}:${rotated.activeKekId()}`;
      assertKeyError(await failure(rotated.unwrapDek(newRef, wrappedDek, context)), "DekUnwrapFailed");
    });

    void it("refuses a corrupted wrapped DEK with DekUnwrapFailed", async () => {
      const { provider } = await makeFixture();
      const context = contextOf("corrupt");
      const { kekRef, wrappedDek } = await provider.wrapDek(dekOf("corrupt"), context);
      for (const [what, bad] of corruptions(wrappedDek)) {
        const err = await failure(provider.unwrapDek(kekRef, bad, context));
        assert.ok(isKeyProviderError(err, "DekUnwrapFailed"), `${what}: ${errorTexts(err).split("\n")[0]}`);
      }
    });

    void it("binds the context exactly when it says it does", async () => {
      const { provider, bindsContext } = await makeFixture();
      const dek = dekOf("context");
      const { kekRef, wrappedDek } = await provider.wrapDek(dek, contextOf("context"));
      const other = contextOf("another object");
      if (bindsContext) {
        assertKeyError(await failure(provider.unwrapDek(kekRef, wrappedDek, other)), "DekUnwrapFailed");
      } else {
        assert.deepEqual(await provider.unwrapDek(kekRef, wrappedDek, other), dek);
      }
    });

    void it("handles 1000 concurrent wraps and unwraps", async () => {
      const { provider } = await makeFixture();
      const deks = Array.from({ length: 1000 }, (_, i) => dekOf(`concurrent/${i}`));
      const contexts = deks.map((_, i) => contextOf(`concurrent/${i}`));
      const wrapped = await Promise.all(deks.map((dek, i) => provider.wrapDek(dek, contexts[i]!)));
      assert.ok(wrapped.every(({ kekRef }) => kekRef === `${provider.scheme}:${provider.activeKekId()}`));
      assert.equal(new Set(wrapped.map(({ wrappedDek }) => wrappedDek.toString("hex"))).size, deks.length);
      const unwrapped = await Promise.all(
        wrapped.map(({ kekRef, wrappedDek }, i) => provider.unwrapDek(kekRef, wrappedDek, contexts[i]!)),
      );
      unwrapped.forEach((dek, i) => assert.deepEqual(dek, deks[i]));
    });

    if (generates) {
      void it("generates data keys that unwrap", async () => {
        const { provider } = await makeFixture();
        assert.ok(provider.generateDataKey !== undefined);
        const context = contextOf("generated");
        const { dek, kekRef, wrappedDek } = await provider.generateDataKey(context);
        assert.equal(dek.length, DEK_LENGTH);
        assert.equal(kekRef, `${provider.scheme}:${provider.activeKekId()}`);
        assert.deepEqual(await provider.unwrapDek(kekRef, wrappedDek, context), dek);
      });
    }

    void it("puts no plaintext DEK or key material in any error", async () => {
      const fixture = await makeFixture();
      const { provider } = fixture;
      const dek = dekOf("leak");
      const context = contextOf("leak");
      const { kekRef, wrappedDek } = await provider.wrapDek(dek, context);
      const rotated = await fixture.rotate();
      const errors: unknown[] = [
        await failure(provider.wrapDek(dek.subarray(0, 31), context)),
        await failure(provider.wrapDek(Buffer.concat([dek, dek]), context)),
        await failure(
          provider.unwrapDek(`${provider.scheme}:s3proxy-contract-no-such-key`, wrappedDek, context),
        ),
        await failure(rotated.unwrapDek(`${rotated.scheme}:${rotated.activeKekId()}`, wrappedDek, context)),
        ...(await Promise.all(
          corruptions(wrappedDek).map(([, bad]) => failure(provider.unwrapDek(kekRef, bad, context))),
        )),
      ];
      const secrets = [dek, ...(fixture.secrets?.() ?? [])];
      for (const err of errors) {
        assert.ok(err instanceof Error, "failures are Errors");
        assert.ok(isKeyProviderError(err) || err instanceof CryptoError, `untyped failure: ${err.message}`);
        assertNoSecrets(errorTexts(err), secrets);
      }
    });
  });
}
