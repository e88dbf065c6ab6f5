/** The DEK cache: hits return copies, entries expire after the TTL (injected clock), the size is bounded, and
 * every DEK that leaves the cache is zeroed. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DekCache } from "../../src/keys/DekCache.ts";

function dek(fill: number): Buffer {
  return Buffer.alloc(32, fill);
}

const isZero = (b: Buffer): boolean => b.every((x) => x === 0);

function clock(start = 1_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

void describe("DekCache", () => {
  it("returns a fresh copy of the stored DEK on every hit", () => {
    const cache = new DekCache({ maxEntries: 10, ttlMs: 1000, now: clock().now });
    cache.set("a", dek(1));
    const first = cache.get("a");
    assert.deepEqual(first, dek(1));
    first.fill(0xff);
    assert.deepEqual(cache.get("a"), dek(1));
    assert.notEqual(cache.get("a"), cache.get("a"));
    assert.equal(cache.get("b"), undefined);
  });

  it("expires an entry exactly ttlMs after it was stored; hits do not extend it", () => {
    const c = clock();
    const cache = new DekCache({ maxEntries: 10, ttlMs: 300_000, now: c.now });
    const stored = dek(2);
    cache.set("a", stored);
    c.advance(299_999);
    assert.deepEqual(cache.get("a"), dek(2));
    c.advance(1);
    assert.equal(cache.get("a"), undefined);
    assert.ok(isZero(stored), "an expired DEK is zeroed");
    assert.equal(cache.size, 0);
  });

  it("drops expired entries on any operation, oldest first", () => {
    const c = clock();
    const cache = new DekCache({ maxEntries: 10, ttlMs: 100, now: c.now });
    const a = dek(1);
    const b = dek(2);
    cache.set("a", a);
    c.advance(50);
    cache.set("b", b);
    c.advance(60); // a expired, b not
    cache.set("c", dek(3));
    assert.ok(isZero(a));
    assert.ok(!isZero(b));
    assert.equal(cache.size, 2);
    c.advance(1000);
    cache.sweep();
    assert.ok(isZero(b));
    assert.equal(cache.size, 0);
  });

  it("keeps at most maxEntries, evicting (and zeroing) the oldest", () => {
    const cache = new DekCache({ maxEntries: 3, ttlMs: 1000, now: clock().now });
    const stored = [1, 2, 3, 4, 5].map((i) => dek(i));
    stored.forEach((d, i) => cache.set(`k${i}`, d));
    assert.equal(cache.size, 3);
    assert.equal(cache.get("k0"), undefined);
    assert.equal(cache.get("k1"), undefined);
    assert.deepEqual(cache.get("k4"), dek(5));
    assert.ok(isZero(stored[0]!) && isZero(stored[1]!), "evicted DEKs are zeroed");
    assert.ok(!isZero(stored[2]!));
  });

  it("a replaced entry is zeroed and the new one gets a full TTL", () => {
    const c = clock();
    const cache = new DekCache({ maxEntries: 3, ttlMs: 100, now: c.now });
    const old = dek(1);
    cache.set("a", old);
    c.advance(90);
    cache.set("a", dek(2));
    assert.ok(isZero(old));
    c.advance(90);
    assert.deepEqual(cache.get("a"), dek(2));
  });

  it("clear() zeroes everything", () => {
    const cache = new DekCache({ maxEntries: 3, ttlMs: 100, now: clock().now });
    const stored = [dek(1), dek(2)];
    stored.forEach((d, i) => cache.set(`k${i}`, d));
    cache.clear();
    assert.equal(cache.size, 0);
    assert.ok(stored.every(isZero));
  });

  it("refuses nonsensical bounds", () => {
    for (const options of [
      { maxEntries: 0, ttlMs: 1 },
      { maxEntries: 1.5, ttlMs: 1 },
      { maxEntries: 1, ttlMs: 0 },
      { maxEntries: 1, ttlMs: Number.NaN },
    ]) {
      assert.throws(() => new DekCache(options), RangeError);
    }
  });
});
