/** The memory budget whole-object legacy reads share: room, first-come order, release once, a deadline. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMemoryBudget, isLegacyError } from "../../src/legacy/index.ts";

describe("createMemoryBudget", () => {
  it("grants what fits at once and queues the rest in arrival order", async () => {
    const budget = createMemoryBudget(100);
    const a = await budget.acquire(60);
    const order: string[] = [];
    const b = budget.acquire(50).then((r) => (order.push("b"), r));
    const c = budget.acquire(10).then((r) => (order.push("c"), r));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, [], "c waits behind b although it would fit");
    assert.equal(budget.inUse(), 60);
    a();
    a(); // a second release changes nothing
    const [rb, rc] = await Promise.all([b, c]);
    assert.deepEqual(order, ["b", "c"]);
    assert.equal(budget.inUse(), 60);
    rb();
    rc();
    assert.equal(budget.inUse(), 0);
  });

  it("gives up after the deadline with LegacyMemoryBusy and lets the next waiter in", async () => {
    const budget = createMemoryBudget(10);
    const held = await budget.acquire(10);
    await assert.rejects(budget.acquire(5, 20), (e) => isLegacyError(e, "LegacyMemoryBusy"));
    const later = budget.acquire(10);
    held();
    (await later)();
    assert.equal(budget.inUse(), 0);
    await assert.rejects(budget.acquire(11), RangeError);
  });
});
