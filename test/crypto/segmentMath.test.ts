import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  ciphertextLength,
  floorDiv,
  plaintextLength,
  recordCount,
  recordLength,
  recordSize,
  segmentCount,
  segmentSize,
} from "../../src/crypto/segmentMath.ts";
import { throwsWith } from "./helpers.ts";

const S = 65536;
const R = S + 32;

void describe("segment math", () => {
  void it("matches the worked examples of FORMAT.md §5 (64 KiB segments)", () => {
    assert.equal(segmentSize(16), S);
    assert.equal(recordSize(16), R);
    const cases: [number, number, number][] = [
      [0, 1, 32],
      [1, 1, 33],
      [S - 1, 1, S + 31],
      [S, 1, R],
      [S + 1, 2, R + 33],
      [2 * S, 2, 2 * R],
      [5 * 2 ** 30, 81920, 5 * 2 ** 30 + 81920 * 32],
    ];
    for (const [p, n, c] of cases) {
      assert.equal(segmentCount(p, 16), n, `segments(${p})`);
      assert.equal(ciphertextLength(p, 16), c, `C(${p})`);
      assert.equal(plaintextLength(c, 16), p, `P(${c})`);
      assert.equal(recordCount(c, 16), n, `G(${c})`);
    }
  });

  void it("accepts a trailing empty record (multipart object whose last part is empty)", () => {
    assert.equal(recordCount(R + 32, 16), 2);
    assert.equal(plaintextLength(R + 32, 16), S);
  });

  void it("rejects impossible ciphertext lengths with LengthInvalid", () => {
    for (const c of [0, 1, 31, R + 1, R + 31, 7 * R + 16, -1, 1.5, Number.MAX_SAFE_INTEGER + 1]) {
      throwsWith(() => plaintextLength(c, 16), "LengthInvalid");
    }
    throwsWith(() => ciphertextLength(-1, 16), "LengthInvalid");
    throwsWith(() => ciphertextLength(0.5, 16), "LengthInvalid");
    throwsWith(() => ciphertextLength(Number.MAX_SAFE_INTEGER, 16), "LengthInvalid");
    assert.throws(() => segmentSize(11), RangeError);
  });

  void it("floorDiv agrees with BigInt division on safe integers", () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 2 ** 21 }), (a, b) => {
        assert.equal(floorDiv(a, b), Number(BigInt(a) / BigInt(b)));
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  void it("P(C(P)) = P and C(P(C)) is C or C minus one empty record, for every exponent and any size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 20 }), fc.nat({ max: 2 ** 40 }), (e, p) => {
        const c = ciphertextLength(p, e);
        assert.equal(plaintextLength(c, e), p);
        assert.equal(recordCount(c, e), segmentCount(p, e));
        const last = recordLength(recordCount(c, e) - 1, c, e);
        assert.ok(last >= 32 && last <= recordSize(e));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  void it("every ciphertext length is either impossible or maps to a plaintext length consistent with its records", () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 14 }), fc.nat({ max: 200_000 }), (e, c) => {
        const r = recordSize(e);
        const tail = c % r;
        const impossible = c < 32 || (tail > 0 && tail < 32);
        if (impossible) {
          throwsWith(() => plaintextLength(c, e), "LengthInvalid");
          return;
        }
        const g = recordCount(c, e);
        assert.equal(plaintextLength(c, e), c - 32 * g);
        assert.equal((g - 1) * r + recordLength(g - 1, c, e), c);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});
