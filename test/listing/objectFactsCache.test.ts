import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HeadObject, HeadOutcome, ListedObject } from "../../src/listing/objectFacts.ts";
import { createObjectFactsCache } from "../../src/listing/objectFactsCache.ts";

const obj = (key: string, size = 65601, etag = `"${key}-etag"`, versionId?: string): ListedObject => ({
  key,
  size,
  etag,
  versionId,
});
const encrypted = (o: ListedObject): HeadOutcome => ({
  kind: "found",
  etag: o.etag,
  size: o.size,
  facts: { encrypted: true, segmentExponent: 16, etag: `"visible-${o.key}"` },
});

/** A fake HEAD that records calls and the highest number in flight at once. */
function fakeHead(answer: (o: ListedObject) => HeadOutcome | Promise<HeadOutcome> = encrypted) {
  const calls: ListedObject[] = [];
  let inFlight = 0;
  let peak = 0;
  const head: HeadObject = async (o) => {
    calls.push(o);
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 2));
    inFlight -= 1;
    return answer(o);
  };
  return { head, calls, peak: () => peak };
}

void describe("objectFactsCache", () => {
  it("HEADs unknown objects once, at bounded concurrency; a second identical listing costs nothing", async () => {
    const cache = createObjectFactsCache();
    const objects = Array.from({ length: 40 }, (_, i) => obj(`k${i}`));
    const fake = fakeHead();
    const first = await cache.resolve("s", objects, fake.head, 16);
    assert.equal(first.stats.heads, 40);
    assert.equal(fake.peak(), 16);
    assert.ok(first.resolutions.every((r) => r.kind === "known" && r.facts.encrypted));
    const second = await cache.resolve("s", objects, fake.head, 16);
    assert.deepEqual(second.stats, { cached: 40, heads: 0, joined: 0, changed: 0, unavailable: 0 });
    assert.equal(fake.calls.length, 40);
    assert.deepEqual(second.resolutions, first.resolutions);
  });

  it("keys entries by scope, key, ETag and size, not by version or ETag quoting", async () => {
    const cache = createObjectFactsCache();
    const fake = fakeHead();
    await cache.resolve("s", [obj("a", 65601, '"e1"', "v1")], fake.head, 4);
    const same = await cache.resolve("s", [obj("a", 65601, "e1", "v2")], fake.head, 4);
    assert.equal(same.stats.cached, 1);
    for (const other of [obj("a", 65601, '"e2"'), obj("a", 65602, '"e1"'), obj("b", 65601, '"e1"')]) {
      assert.equal((await cache.resolve("s", [other], fake.head, 4)).stats.heads, 1);
    }
    assert.equal((await cache.resolve("t", [obj("a", 65601, '"e1"')], fake.head, 4)).stats.heads, 1);
  });

  it("skips undefined entries and leaves unavailable ones unresolved and uncached", async () => {
    const cache = createObjectFactsCache();
    const fake = fakeHead((o) => (o.key === "gone" ? { kind: "unavailable", status: 404 } : encrypted(o)));
    const r = await cache.resolve("s", [undefined, obj("gone"), obj("ok")], fake.head, 4);
    assert.deepEqual(
      r.resolutions.map((x) => x.kind),
      ["skipped", "unavailable", "known"],
    );
    assert.equal(r.stats.unavailable, 1);
    assert.equal((await cache.resolve("s", [obj("gone")], fake.head, 4)).stats.heads, 1);
  });

  it("reports an object that changed since it was listed, and caches what HEAD found", async () => {
    const cache = createObjectFactsCache();
    const fake = fakeHead((o) => ({ ...encrypted(o), etag: '"newer"', size: 33 }));
    const r = await cache.resolve("s", [obj("k")], fake.head, 4);
    assert.deepEqual(r.resolutions, [{ kind: "changed" }]);
    assert.equal(r.stats.changed, 1);
    const newer = await cache.resolve("s", [obj("k", 33, '"newer"')], fake.head, 4);
    assert.equal(newer.stats.cached, 1);
  });

  it("joins a HEAD another listing already started", async () => {
    const cache = createObjectFactsCache();
    const fake = fakeHead();
    const [a, b] = await Promise.all([
      cache.resolve("s", [obj("k")], fake.head, 4),
      cache.resolve("s", [obj("k")], fake.head, 4),
    ]);
    assert.equal(fake.calls.length, 1);
    assert.equal(a.stats.heads + b.stats.heads, 1);
    assert.equal(a.stats.joined + b.stats.joined, 1);
  });

  it("fails the listing on a retryable failure and starts no further HEADs", async () => {
    const cache = createObjectFactsCache();
    const fake = fakeHead((o) => {
      if (o.key === "k0") throw new Error("upstream down");
      return encrypted(o);
    });
    const objects = Array.from({ length: 10 }, (_, i) => obj(`k${i}`));
    await assert.rejects(cache.resolve("s", objects, fake.head, 1), /upstream down/);
    assert.equal(fake.calls.length, 1);
    // Nothing failed is cached: the retry HEADs again.
    const retry = await cache.resolve("s", objects.slice(0, 1), fakeHead().head, 1);
    assert.equal(retry.stats.heads, 1);
  });

  it("is bounded: the least recently used entries go", async () => {
    const cache = createObjectFactsCache(3);
    const fake = fakeHead();
    await cache.resolve("s", [obj("a"), obj("b"), obj("c"), obj("d")], fake.head, 1);
    assert.equal(cache.size, 3);
    assert.equal((await cache.resolve("s", [obj("a")], fake.head, 1)).stats.heads, 1);
  });
});
