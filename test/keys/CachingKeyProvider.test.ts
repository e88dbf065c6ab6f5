/**
 * The DEK cache in front of a provider: hits cost no provider call, anything that differs (reference, wrapped
 * DEK, context) misses, TTL expiry and the size bound force a new call, concurrent unwraps of one DEK are one
 * call, failures are neither cached nor retried here, and DEK buffers are copies that get zeroed. Then the
 * KeyProvider contract, run through the cache.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CachingKeyProvider } from "../../src/keys/CachingKeyProvider.ts";
import { DekCache } from "../../src/keys/DekCache.ts";
import type { DekContext } from "../../src/keys/dekContext.ts";
import { DekUnwrapError, isKeyProviderError, KeyProviderUnavailableError } from "../../src/keys/errors.ts";
import { LocalKeyProvider } from "../../src/keys/LocalKeyProvider.ts";
import { withKey } from "../../src/keys/withKey.ts";
import { testKek, testKeySet, keyBytes } from "./helpers.ts";
import { runKeyProviderContract } from "./keyProviderContract.ts";
import { StubKeyProvider } from "./stubKeyProvider.ts";

const context = (salt: number, formatVersion = 1): DekContext => ({
  formatVersion,
  salt: Buffer.alloc(32, salt),
});

function setup(options: { maxEntries?: number; ttlMs?: number } = {}) {
  let t = 0;
  const stub = new StubKeyProvider();
  const cache = new DekCache({
    maxEntries: options.maxEntries ?? 100,
    ttlMs: options.ttlMs ?? 300_000,
    now: () => t,
  });
  return {
    stub,
    cached: new CachingKeyProvider(stub, cache),
    cache,
    advance: (ms: number) => void (t += ms),
  };
}

async function wrapped(provider: StubKeyProvider, fill: number) {
  const dek = Buffer.alloc(32, fill);
  const w = await provider.wrapDek(dek, context(fill));
  provider.calls.wrapDek = 0;
  return { dek, ...w };
}

void describe("CachingKeyProvider", () => {
  it("serves a hot DEK from the cache: one provider call for many unwraps", async () => {
    const { stub, cached } = setup();
    const { dek, kekRef, wrappedDek } = await wrapped(stub, 1);
    for (let i = 0; i < 50; i++)
      assert.deepEqual(await cached.unwrapDek(kekRef, wrappedDek, context(1)), dek);
    assert.equal(stub.calls.unwrapDek, 1);
  });

  it("misses when the reference, the wrapped DEK, the salt or the format version differ", async () => {
    const { stub, cached } = setup();
    const { kekRef, wrappedDek } = await wrapped(stub, 1);
    await cached.unwrapDek(kekRef, wrappedDek, context(1));
    const other = Buffer.from(wrappedDek);
    other[0] = other[0]! ^ 1;
    await cached.unwrapDek(kekRef, other, context(1));
    await cached.unwrapDek(kekRef, wrappedDek, context(2));
    await cached.unwrapDek(kekRef, wrappedDek, context(1, 2));
    await assert.rejects(cached.unwrapDek("stub:other-key", wrappedDek, context(1)));
    assert.equal(stub.calls.unwrapDek, 5);
  });

  it("asks the provider again once the TTL has passed (injected clock)", async () => {
    const { stub, cached, advance } = setup({ ttlMs: 300_000 });
    const { kekRef, wrappedDek } = await wrapped(stub, 1);
    await cached.unwrapDek(kekRef, wrappedDek, context(1));
    advance(299_999);
    await cached.unwrapDek(kekRef, wrappedDek, context(1));
    assert.equal(stub.calls.unwrapDek, 1);
    advance(1);
    await cached.unwrapDek(kekRef, wrappedDek, context(1));
    assert.equal(stub.calls.unwrapDek, 2);
  });

  it("keeps at most maxEntries DEKs", async () => {
    const { stub, cached, cache } = setup({ maxEntries: 4 });
    const deks = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => wrapped(stub, i)));
    for (const [i, w] of deks.entries()) await cached.unwrapDek(w.kekRef, w.wrappedDek, context(i + 1));
    assert.equal(cache.size, 4);
    assert.equal(stub.calls.unwrapDek, 6);
    // The two oldest were evicted: unwrapping them calls the provider again; the newest is still a hit.
    await cached.unwrapDek(deks[5]!.kekRef, deks[5]!.wrappedDek, context(6));
    assert.equal(stub.calls.unwrapDek, 6);
    await cached.unwrapDek(deks[0]!.kekRef, deks[0]!.wrappedDek, context(1));
    assert.equal(stub.calls.unwrapDek, 7);
  });

  it("coalesces concurrent unwraps of the same DEK into one provider call", async () => {
    const { stub, cached } = setup();
    const { dek, kekRef, wrappedDek } = await wrapped(stub, 3);
    stub.hold();
    const pending = Array.from({ length: 100 }, () => cached.unwrapDek(kekRef, wrappedDek, context(3)));
    await new Promise((r) => setImmediate(r));
    assert.equal(stub.calls.unwrapDek, 1);
    stub.release();
    const results = await Promise.all(pending);
    assert.equal(stub.calls.unwrapDek, 1);
    for (const r of results) assert.deepEqual(r, dek);
    assert.equal(new Set(results).size, 100, "every caller gets its own buffer");
    // The provider's own buffer is zeroed once every caller has its copy; the callers' copies are theirs.
    assert.ok(stub.returned[0]!.every((b) => b === 0));
    results[0]!.fill(0);
    assert.deepEqual(results[1], dek);
    assert.deepEqual(await cached.unwrapDek(kekRef, wrappedDek, context(3)), dek);
  });

  it("fails every joined caller with the provider's error and caches nothing", async () => {
    const { stub, cached } = setup();
    const { dek, kekRef, wrappedDek } = await wrapped(stub, 4);
    stub.hold();
    stub.failures = [new KeyProviderUnavailableError("down")];
    const pending = Array.from({ length: 10 }, () => cached.unwrapDek(kekRef, wrappedDek, context(4)));
    stub.release();
    const settled = await Promise.allSettled(pending);
    assert.ok(
      settled.every((s) => s.status === "rejected" && isKeyProviderError(s.reason, "KeyProviderUnavailable")),
    );
    assert.equal(stub.calls.unwrapDek, 1);
    stub.failures = [new DekUnwrapError(kekRef, "bad")];
    await assert.rejects(cached.unwrapDek(kekRef, wrappedDek, context(4)), DekUnwrapError);
    assert.deepEqual(await cached.unwrapDek(kekRef, wrappedDek, context(4)), dek);
    assert.equal(stub.calls.unwrapDek, 3);
  });

  it("recovers from a provider that throws instead of rejecting", async () => {
    const { stub, cached } = setup();
    const { dek, kekRef, wrappedDek } = await wrapped(stub, 5);
    const unwrap = stub.unwrapDek.bind(stub);
    stub.unwrapDek = () => {
      throw new KeyProviderUnavailableError("thrown synchronously");
    };
    await assert.rejects(cached.unwrapDek(kekRef, wrappedDek, context(5)), KeyProviderUnavailableError);
    stub.unwrapDek = unwrap;
    assert.deepEqual(await cached.unwrapDek(kekRef, wrappedDek, context(5)), dek);
  });

  it("passes wrapping and data-key generation through, uncached", async () => {
    const stub = new StubKeyProvider("stub", "stub-key", true);
    const cached = new CachingKeyProvider(stub, new DekCache({ maxEntries: 10, ttlMs: 1000 }));
    assert.equal(cached.scheme, "stub");
    assert.equal(cached.activeKekId(), "stub-key");
    assert.deepEqual(cached.listKekIds(), ["stub-key"]);
    await cached.wrapDek(Buffer.alloc(32, 1), context(1));
    await cached.wrapDek(Buffer.alloc(32, 1), context(1));
    assert.equal(stub.calls.wrapDek, 2);
    assert.ok(cached.generateDataKey !== undefined);
    await cached.generateDataKey(context(1));
    assert.equal(stub.calls.generateDataKey, 1);
    const plain = new CachingKeyProvider(new StubKeyProvider(), new DekCache({ maxEntries: 1, ttlMs: 1 }));
    assert.equal(plain.generateDataKey, undefined);
  });
});

let fixtures = 0;
runKeyProviderContract("local aeskw behind the DEK cache", () => {
  const n = ++fixtures;
  let set = testKeySet(["kek-a", "kek-b"], "kek-b", `cached-${n}/`);
  const cache = new DekCache({ maxEntries: 10_000, ttlMs: 60_000 });
  return Promise.resolve({
    provider: new CachingKeyProvider(new LocalKeyProvider(set), cache),
    bindsContext: false,
    rotate: () => {
      set = withKey(set, testKek("kek-c", `cached-${n}/rotated`), true);
      return Promise.resolve(new CachingKeyProvider(new LocalKeyProvider(set), cache));
    },
    secrets: () => keyBytes(set),
  });
});
