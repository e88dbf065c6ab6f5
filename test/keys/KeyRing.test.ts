/**
 * KeyRing routing (the active provider wraps, the reference's scheme picks who unwraps, an unknown scheme is
 * KekNotFound) and buildKeyRing (registrations, which providers get retries and the DEK cache). The contract
 * suite runs against rings in kmsKeyProvider.contract.test.ts (with KMS) and here (local only).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildKeyRing, type KeyProviderRegistration } from "../../src/keys/buildKeyRing.ts";
import { isKeyProviderError, KeyProviderUnavailableError } from "../../src/keys/errors.ts";
import { KeyRing } from "../../src/keys/KeyRing.ts";
import { LocalKeyProvider } from "../../src/keys/LocalKeyProvider.ts";
import { withKey } from "../../src/keys/withKey.ts";
import { keyBytes, testKek, testKeySet } from "./helpers.ts";
import { runKeyProviderContract } from "./keyProviderContract.ts";
import { StubKeyProvider } from "./stubKeyProvider.ts";

const context = { formatVersion: 1, salt: Buffer.alloc(32, 5) };
const noSleep = { sleep: () => Promise.resolve(), random: () => 0 };

void describe("KeyRing", () => {
  it("wraps with the active provider and unwraps by the reference's scheme", async () => {
    const local = new LocalKeyProvider(testKeySet(["ring-local"], "ring-local", "ring/"));
    const stub = new StubKeyProvider("stub", "s1", true);
    const ring = new KeyRing([local, stub], "stub");
    assert.equal(ring.scheme, "stub");
    assert.equal(ring.activeKekId(), "s1");
    assert.deepEqual(ring.listKekIds(), ["s1"]);
    assert.deepEqual(ring.schemes, ["stub", "aeskw"]);
    assert.deepEqual(ring.kekRefs(), ["stub:s1", "aeskw:ring-local"]);
    assert.ok(ring.generateDataKey !== undefined);

    const dek = Buffer.alloc(32, 1);
    const byStub = await ring.wrapDek(dek, context);
    assert.equal(byStub.kekRef, "stub:s1");
    const byLocal = await local.wrapDek(dek, context);
    assert.deepEqual(await ring.unwrapDek(byStub.kekRef, byStub.wrappedDek, context), dek);
    assert.deepEqual(await ring.unwrapDek(byLocal.kekRef, byLocal.wrappedDek, context), dek);
    assert.equal(stub.calls.unwrapDek, 1);
  });

  it("answers KekNotFound for a scheme no provider owns, or a malformed reference", async () => {
    const ring = new KeyRing([new StubKeyProvider()], "stub");
    for (const ref of ["kms:arn:aws:kms:us-east-1:111122223333:key/x", "pkcs11:label", "not a ref", ""]) {
      const err = await ring.unwrapDek(ref, Buffer.alloc(40), context).catch((e: unknown) => e);
      assert.ok(isKeyProviderError(err, "KekNotFound"), String(err));
    }
  });

  it("has no generateDataKey when the active provider has none", () => {
    const ring = new KeyRing([new StubKeyProvider("a", "x", true), new StubKeyProvider("b")], "b");
    assert.equal(ring.generateDataKey, undefined);
  });

  it("refuses two providers of one scheme and an active scheme without a provider", () => {
    assert.throws(() => new KeyRing([new StubKeyProvider(), new StubKeyProvider()], "stub"), /twice|two/);
    assert.throws(() => new KeyRing([new StubKeyProvider()], "kms"), /no key provider.*"kms".*stub/);
  });
});

void describe("buildKeyRing", () => {
  const registration = (
    kind: string,
    provider: StubKeyProvider,
    remote: boolean,
  ): KeyProviderRegistration & { creates: () => number } => {
    let creates = 0;
    return {
      kind,
      remote,
      create: () => {
        creates++;
        return Promise.resolve(provider);
      },
      creates: () => creates,
    };
  };

  it("caches and retries remote providers only", async () => {
    const local = new StubKeyProvider("loc", "l1");
    const remote = new StubKeyProvider("rem", "r1");
    const ring = await buildKeyRing(
      [registration("local", local, false), registration("remote", remote, true)],
      { active: "remote", dekCache: { ttlMs: 60_000, maxEntries: 10 }, retryEnvironment: noSleep },
    );
    assert.equal(ring.scheme, "rem");
    const l = await local.wrapDek(Buffer.alloc(32, 1), context);
    const r = await remote.wrapDek(Buffer.alloc(32, 2), context);
    for (let i = 0; i < 3; i++) {
      await ring.unwrapDek(l.kekRef, l.wrappedDek, context);
      await ring.unwrapDek(r.kekRef, r.wrappedDek, context);
    }
    assert.equal(local.calls.unwrapDek, 3, "local unwraps are not cached");
    assert.equal(remote.calls.unwrapDek, 1, "remote unwraps are cached");
    remote.failures = [new KeyProviderUnavailableError("blip")];
    await ring.wrapDek(Buffer.alloc(32, 3), context);
    local.failures = [new KeyProviderUnavailableError("blip")];
    await assert.rejects(ring.unwrapDek(l.kekRef, l.wrappedDek, context), KeyProviderUnavailableError);
  });

  it("a DEK cache of size 0 or TTL 0 is off", async () => {
    for (const dekCache of [
      { ttlMs: 0, maxEntries: 10 },
      { ttlMs: 1000, maxEntries: 0 },
    ]) {
      const remote = new StubKeyProvider("rem", "r1");
      const ring = await buildKeyRing([registration("remote", remote, true)], { active: "remote", dekCache });
      const r = await remote.wrapDek(Buffer.alloc(32, 2), context);
      await ring.unwrapDek(r.kekRef, r.wrappedDek, context);
      await ring.unwrapDek(r.kekRef, r.wrappedDek, context);
      assert.equal(remote.calls.unwrapDek, 2);
    }
  });

  it("retries a remote provider's start, then gives up", async () => {
    let attempts = 0;
    const flaky: KeyProviderRegistration = {
      kind: "remote",
      remote: true,
      create: () => {
        attempts++;
        return attempts < 3
          ? Promise.reject(new KeyProviderUnavailableError("ECONNREFUSED"))
          : Promise.resolve(new StubKeyProvider("rem"));
      },
    };
    const ring = await buildKeyRing([flaky], {
      active: "remote",
      dekCache: { ttlMs: 1, maxEntries: 1 },
      retryEnvironment: noSleep,
    });
    assert.equal(ring.scheme, "rem");
    assert.equal(attempts, 3);
    attempts = -10;
    await assert.rejects(
      buildKeyRing([flaky], {
        active: "remote",
        dekCache: { ttlMs: 1, maxEntries: 1 },
        retryEnvironment: noSleep,
      }),
      /after 3 attempts/,
    );
  });

  it("names the missing provider when --kek-provider names one not configured", async () => {
    await assert.rejects(
      buildKeyRing([registration("local", new StubKeyProvider(), false)], {
        active: "kms",
        dekCache: { ttlMs: 1, maxEntries: 1 },
      }),
      /--kek-provider kms: .*not configured \(configured: local\)/,
    );
    await assert.rejects(
      buildKeyRing(
        [
          registration("local", new StubKeyProvider(), false),
          registration("local", new StubKeyProvider("x"), false),
        ],
        { active: "local", dekCache: { ttlMs: 1, maxEntries: 1 } },
      ),
      /registered twice/,
    );
  });
});

let fixtures = 0;
runKeyProviderContract("KeyRing (aeskw active, a stub provider alongside)", () => {
  const n = ++fixtures;
  let set = testKeySet(["ring-a", "ring-b"], "ring-b", `ring-${n}/`);
  const stub = new StubKeyProvider("stub", "other");
  return Promise.resolve({
    provider: new KeyRing([stub, new LocalKeyProvider(set)], "aeskw"),
    bindsContext: false,
    rotate: () => {
      set = withKey(set, testKek("ring-c", `ring-${n}/rotated`), true);
      return Promise.resolve(new KeyRing([stub, new LocalKeyProvider(set)], "aeskw"));
    },
    secrets: () => keyBytes(set),
  });
});
