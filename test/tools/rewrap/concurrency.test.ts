/** mapConcurrent (bounded, stoppable) and prefetch (bounded read-ahead). */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { mapConcurrent } from "../../../src/tools/rewrap/mapConcurrent.ts";
import { prefetch } from "../../../src/tools/rewrap/prefetch.ts";

async function* numbers(n: number, pulled: number[] = []): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    pulled.push(i);
    await sleep(0);
    yield i;
  }
}

describe("mapConcurrent", () => {
  it("runs everything with at most `limit` in flight, starting in order", async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    await mapConcurrent(numbers(50), 4, async (i) => {
      started.push(i);
      peak = Math.max(peak, ++inFlight);
      await sleep(5 + (i % 3));
      inFlight--;
    }).done;
    assert.equal(peak, 4);
    assert.deepEqual(started, [...Array(50).keys()]);
  });

  it("stops taking items, lets running ones finish, and closes the source", async () => {
    let closed = false;
    async function* source() {
      try {
        yield* numbers(1000);
      } finally {
        closed = true;
      }
    }
    const seen: number[] = [];
    const run = mapConcurrent(source(), 2, async (i) => {
      seen.push(i);
      if (i === 5) run.stop();
      await sleep(1);
    });
    await run.done;
    assert.ok(seen.length <= 7, `${seen.length} started`);
    assert.equal(closed, true);
  });

  it("propagates a failure of the source", async () => {
    async function* broken() {
      yield 1;
      await sleep(0);
      throw new Error("listing failed");
    }
    await assert.rejects(mapConcurrent(broken(), 3, () => sleep(1)).done, /listing failed/);
  });
});

describe("prefetch", () => {
  it("reads ahead at most `ahead` items and reports the count", async () => {
    const pulled: number[] = [];
    const counts: number[] = [];
    const it = prefetch(numbers(100, pulled), 10, (n) => counts.push(n));
    const first = await it.next();
    assert.equal(first.value, 0);
    await sleep(20);
    assert.ok(pulled.length <= 12, `pulled ${pulled.length}`);
    const rest: number[] = [];
    for await (const n of it) rest.push(n);
    assert.deepEqual(
      rest,
      [...Array(99).keys()].map((i) => i + 1),
    );
    assert.equal(counts.at(-1), 100);
  });

  it("delivers a source failure after the items before it", async () => {
    async function* broken() {
      yield 1;
      yield 2;
      await sleep(0);
      throw new Error("boom");
    }
    const got: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const n of prefetch(broken(), 5)) got.push(n);
      })(),
      /boom/,
    );
    assert.deepEqual(got, [1, 2]);
  });
});
