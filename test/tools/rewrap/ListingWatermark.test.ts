import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ListingWatermark } from "../../../src/tools/rewrap/ListingWatermark.ts";

describe("ListingWatermark", () => {
  it("advances over the finished prefix only, whatever order objects finish in", () => {
    const w = new ListingWatermark<string>();
    const [a, b, c, d] = ["a", "b", "c", "d"].map((k) => w.add(k)) as [number, number, number, number];
    assert.equal(w.position, undefined);
    w.finish(c, false);
    assert.equal(w.position, undefined);
    w.finish(a, false);
    assert.equal(w.position, "a");
    w.finish(b, false);
    assert.equal(w.position, "c");
    assert.equal(w.complete, false);
    w.finish(d, false);
    assert.equal(w.position, "d");
    assert.equal(w.complete, true);
  });

  it("starts from a resumed position and never passes a failed object", () => {
    const w = new ListingWatermark<string>("m");
    const [n, o, p] = ["n", "o", "p"].map((k) => w.add(k)) as [number, number, number];
    w.finish(n, false);
    w.finish(o, true);
    w.finish(p, false);
    assert.equal(w.position, "n");
    assert.equal(w.complete, false);
    w.finish(w.add("q"), false);
    assert.equal(w.position, "n");
  });
});
