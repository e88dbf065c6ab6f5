import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { planRange } from "../../src/crypto/rangePlan.ts";
import { ciphertextLength, recordSize } from "../../src/crypto/segmentMath.ts";
import { throwsWith } from "./helpers.ts";

const S = 65536;
const R = S + 32;

void describe("range plan", () => {
  void it("plans a whole object, including a 0-byte one", () => {
    const empty = planRange({ segmentExponent: 16, ciphertextLength: 32 });
    assert.deepEqual(
      [
        empty.firstRecord,
        empty.endRecord,
        empty.cipherStart,
        empty.cipherEnd,
        empty.skip,
        empty.plaintextEnd,
      ],
      [0, 1, 0, 32, 0, 0],
    );
    const c = ciphertextLength(3 * S + 10, 16);
    const whole = planRange({ segmentExponent: 16, ciphertextLength: c });
    assert.deepEqual([whole.firstRecord, whole.endRecord, whole.cipherStart, whole.cipherEnd], [0, 4, 0, c]);
  });

  void it("matches the worked example of FORMAT.md §6", () => {
    // 1 MiB object, bytes=100000-199999
    const c = ciphertextLength(2 ** 20, 16);
    const plan = planRange({ segmentExponent: 16, ciphertextLength: c, start: 100_000, end: 200_000 });
    assert.equal(plan.firstRecord, 1);
    assert.equal(plan.endRecord, 4);
    assert.equal(plan.cipherStart, R);
    assert.equal(plan.cipherEnd, 4 * R);
    assert.equal(plan.skip, 100_000 - S);
  });

  void it("extends a range that reaches the end of the plaintext to the final record", () => {
    // last part empty: the final record carries no plaintext
    const c = 2 * R + 32;
    const plan = planRange({ segmentExponent: 16, ciphertextLength: c, start: S, end: 2 * S });
    assert.equal(plan.endRecord, 3);
    assert.equal(plan.cipherEnd, c);
  });

  void it("rejects ranges outside the object", () => {
    const c = ciphertextLength(1000, 16);
    throwsWith(
      () => planRange({ segmentExponent: 16, ciphertextLength: c, start: 0, end: 1001 }),
      "RangeInvalid",
    );
    throwsWith(
      () => planRange({ segmentExponent: 16, ciphertextLength: c, start: 5, end: 5 }),
      "RangeInvalid",
    );
    throwsWith(
      () => planRange({ segmentExponent: 16, ciphertextLength: c, start: -1, end: 5 }),
      "RangeInvalid",
    );
    throwsWith(
      () => planRange({ segmentExponent: 16, ciphertextLength: c, start: 7, end: 6 }),
      "RangeInvalid",
    );
    throwsWith(() => planRange({ segmentExponent: 16, ciphertextLength: R + 31 }), "LengthInvalid");
  });

  void it("fetches exactly the records the range touches, on record boundaries", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 12, max: 16 }),
        fc.integer({ min: 1, max: 2 ** 24 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (e, p, a, b) => {
          const s = 2 ** e;
          const r = recordSize(e);
          const c = ciphertextLength(p, e);
          const start = Math.min(p - 1, Math.floor(a * p));
          const end = start + 1 + Math.floor(b * (p - start - 1));
          const plan = planRange({ segmentExponent: e, ciphertextLength: c, start, end });
          assert.equal(plan.cipherStart, plan.firstRecord * r);
          assert.ok(plan.firstRecord * s <= start && start < (plan.firstRecord + 1) * s);
          assert.ok((plan.endRecord - 1) * s < end);
          if (end < p) assert.ok(end <= plan.endRecord * s);
          else assert.equal(plan.cipherEnd, c);
          assert.equal(plan.skip, start - plan.firstRecord * s);
          assert.ok(plan.cipherEnd - plan.cipherStart <= (plan.endRecord - plan.firstRecord) * r);
        },
      ),
      { seed: 3, numRuns: 2000 },
    );
  });
});
