import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stitchPlan } from "../../src/pipeline/stitchPlan.ts";

void describe("stitchPlan", () => {
  void it("uses an exact probe as it is", () => {
    assert.deepEqual(stitchPlan({ start: 10, end: 20 }, { start: 10, end: 20 }), {
      kind: "probe",
      prefix: undefined,
      suffix: undefined,
    });
  });

  void it("fetches only what an overlapping probe lacks, at either end", () => {
    assert.deepEqual(stitchPlan({ start: 10, end: 40 }, { start: 20, end: 30 }), {
      kind: "probe",
      prefix: { start: 10, end: 20 },
      suffix: { start: 30, end: 40 },
    });
    assert.deepEqual(stitchPlan({ start: 10, end: 40 }, { start: 0, end: 50 }), {
      kind: "probe",
      prefix: undefined,
      suffix: undefined,
    });
  });

  void it("fetches the needed span alone when the probe misses it or had no body", () => {
    assert.deepEqual(stitchPlan({ start: 100, end: 200 }, { start: 0, end: 100 }), { kind: "fetch" });
    assert.deepEqual(stitchPlan({ start: 100, end: 200 }, { start: 200, end: 300 }), { kind: "fetch" });
    assert.deepEqual(stitchPlan({ start: 100, end: 200 }, undefined), { kind: "fetch" });
    assert.throws(() => stitchPlan({ start: 5, end: 5 }, undefined), RangeError);
  });

  void it("covers the needed span exactly once (property)", () => {
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.integer({ min: 1, max: 500 }),
        fc.nat(1500),
        fc.integer({ min: 1, max: 500 }),
        (a, n, b, m) => {
          const needed = { start: a, end: a + n };
          const probe = { start: b, end: b + m };
          const plan = stitchPlan(needed, probe);
          const covered = new Set<number>();
          const add = (s: { start: number; end: number } | undefined, clip: boolean) => {
            if (!s) return;
            for (let i = s.start; i < s.end; i++) {
              if (clip && (i < needed.start || i >= needed.end)) continue;
              assert.ok(!covered.has(i), `byte ${i} twice`);
              covered.add(i);
            }
          };
          if (plan.kind === "fetch") {
            assert.ok(probe.end <= needed.start || probe.start >= needed.end);
            add(needed, false);
          } else {
            add(plan.prefix, false);
            add(probe, true);
            add(plan.suffix, false);
          }
          assert.equal(covered.size, n);
        },
      ),
      { seed: 20261126, numRuns: 500 },
    );
  });
});
