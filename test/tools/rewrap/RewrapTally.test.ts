import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RewrapResult } from "../../../src/tools/rewrap/RewrapOutcome.ts";
import { outcomeLine } from "../../../src/tools/rewrap/rewrapProgress.ts";
import { formatRewrapSummary, PROBLEM_LIMIT, RewrapTally } from "../../../src/tools/rewrap/RewrapTally.ts";

const run = { prefix: "p/", activeKekRef: "aeskw:new", dryRun: false, interrupted: false };

describe("RewrapTally", () => {
  it("counts every kind of outcome, by old KEK where it matters", () => {
    const t = new RewrapTally("b");
    const results: RewrapResult[] = [
      { kind: "current", kekRef: "aeskw:new" },
      { kind: "rewrapped", dryRun: false, from: "aeskw:old", to: "aeskw:new" },
      { kind: "rewrapped", dryRun: false, from: "aeskw:old", to: "aeskw:new", parts: 3 },
      { kind: "rewrapped", dryRun: false, from: "aeskw:older", to: "aeskw:new" },
      { kind: "legacy" },
      { kind: "noncurrent", kekRef: "aeskw:old" },
      { kind: "gone" },
      { kind: "refused", from: "aeskw:old", reason: "too big" },
      { kind: "failed", code: "KekNotFound", reason: "no such key" },
    ];
    results.forEach((result, i) => t.add({ object: { key: `k${i}`, isLatest: true }, result }));
    const s = t.summary(run);
    assert.deepEqual(
      { ...s, problems: s.problems.length },
      {
        bucket: "b",
        ...run,
        scanned: 9,
        current: 1,
        rewrapped: 3,
        rewrappedFrom: { "aeskw:old": 2, "aeskw:older": 1 },
        legacy: 1,
        noncurrentOldKek: { "aeskw:old": 1 },
        gone: 1,
        refused: 1,
        failed: 1,
        problems: 2,
      },
    );
    assert.equal(t.hasProblems, true);
    const text = formatRewrapSummary(s);
    assert.match(text, /^rewrap s3:\/\/b\/p\/ to aeskw:new\n/);
    assert.match(text, /^ {2}rewrapped: +3 \(aeskw:old: 2, aeskw:older: 1\)$/m);
    assert.match(text, /^ {2}noncurrent, old KEK: +1 \(aeskw:old: 1\)$/m);
    assert.match(text, /^ {2}KekNotFound: s3:\/\/b\/k8: no such key$/m);
    assert.match(text, /^ {2}CopyRefused: s3:\/\/b\/k7: too big$/m);
  });

  it("lists at most PROBLEM_LIMIT problems and counts the rest", () => {
    const t = new RewrapTally("b");
    for (let i = 0; i < PROBLEM_LIMIT + 5; i++) {
      t.add({ object: { key: `k${i}`, isLatest: true }, result: { kind: "failed", code: "X", reason: "r" } });
    }
    const s = t.summary({ ...run, dryRun: true });
    assert.equal(s.problems.length, PROBLEM_LIMIT);
    assert.match(formatRewrapSummary(s), /… and 5 more\n$/);
    assert.match(formatRewrapSummary(s), /\(dry run: nothing changed\)/);
  });

  it("prints one line per object", () => {
    const line = (result: RewrapResult) =>
      outcomeLine("b", { object: { key: "k\n", isLatest: true }, result });
    assert.equal(
      line({ kind: "rewrapped", dryRun: true, from: "aeskw:o", to: "aeskw:n", parts: 2 }),
      "would rewrap s3://b/k\\x0a  aeskw:o -> aeskw:n (2 parts)",
    );
    assert.equal(line({ kind: "failed", code: "C", reason: "r" }), "FAILED       s3://b/k\\x0a  C: r");
  });
});
