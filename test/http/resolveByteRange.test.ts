/**
 * Byte ranges against a representation of known size, with S3's answers; checked against a model that slices
 * an array the way RFC 9110 §14.1.2 describes, plus S3's one known difference (a suffix of an empty object).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseRangeHeader, type ByteRangeSpec } from "../../src/http/parseRangeHeader.ts";
import { resolveByteRange } from "../../src/http/resolveByteRange.ts";

const resolve = (header: string, size: number) => {
  const spec = parseRangeHeader(header);
  assert.ok(spec, header);
  return resolveByteRange(spec, size);
};

void describe("resolveByteRange", () => {
  void it("answers LocalStack's AWS-validated cases for a 10-byte object", () => {
    assert.deepEqual(resolve("bytes=0-8", 10), { kind: "partial", start: 0, end: 9 });
    assert.deepEqual(resolve("bytes=1-1", 10), { kind: "partial", start: 1, end: 2 });
    assert.deepEqual(resolve("bytes=1-", 10), { kind: "partial", start: 1, end: 10 });
    assert.deepEqual(resolve("bytes=-2", 10), { kind: "partial", start: 8, end: 10 });
    assert.deepEqual(resolve("bytes=-9", 10), { kind: "partial", start: 1, end: 10 });
    assert.deepEqual(resolve("bytes=-15", 10), { kind: "partial", start: 0, end: 10 });
    assert.deepEqual(resolve("bytes=0-100", 10), { kind: "partial", start: 0, end: 10 });
    assert.deepEqual(resolve("bytes=0-0", 10), { kind: "partial", start: 0, end: 1 });
    assert.deepEqual(resolve("bytes=-0", 10), { kind: "unsatisfiable" });
    assert.deepEqual(resolve("bytes=100-200", 10), { kind: "unsatisfiable" });
    assert.deepEqual(resolve("bytes=10-", 10), { kind: "unsatisfiable" });
    assert.deepEqual(resolve("bytes=9-", 10), { kind: "partial", start: 9, end: 10 });
  });

  void it("treats the empty object as S3 does: offsets unsatisfiable, suffixes the whole (empty) object", () => {
    assert.deepEqual(resolve("bytes=0-", 0), { kind: "unsatisfiable" });
    assert.deepEqual(resolve("bytes=0-0", 0), { kind: "unsatisfiable" });
    assert.deepEqual(resolve("bytes=-1", 0), { kind: "whole" });
    assert.deepEqual(resolve("bytes=-0", 0), { kind: "unsatisfiable" });
  });

  const spec: fc.Arbitrary<ByteRangeSpec> = fc.oneof(
    fc
      .tuple(fc.nat({ max: 3000 }), fc.option(fc.nat({ max: 3000 }), { nil: undefined }))
      .map(([first, d]) => ({ kind: "from" as const, first, last: d === undefined ? undefined : first + d })),
    fc.nat({ max: 3000 }).map((length) => ({ kind: "suffix" as const, length })),
  );

  /** The selected indices of a `size`-byte representation, by RFC 9110 §14.1.2 read literally. */
  function model(s: ByteRangeSpec, size: number): number[] | "unsatisfiable" | "whole" {
    const all = [...Array(size).keys()];
    if (s.kind === "suffix") {
      if (s.length === 0) return "unsatisfiable";
      if (size === 0) return "whole"; // S3
      return all.slice(Math.max(0, size - s.length));
    }
    if (s.first >= size) return "unsatisfiable";
    return all.filter((i) => i >= s.first && (s.last === undefined || i <= s.last));
  }

  void it("selects exactly the bytes the RFC describes (property)", () => {
    fc.assert(
      fc.property(spec, fc.nat({ max: 2500 }), (s, size) => {
        const got = resolveByteRange(s, size);
        const want = model(s, size);
        if (typeof want === "string") {
          assert.equal(got.kind, want);
          return;
        }
        assert.equal(got.kind, "partial");
        if (got.kind !== "partial") return;
        assert.ok(got.start < got.end && got.end <= size);
        assert.equal(got.start, want[0]);
        assert.equal(got.end, (want.at(-1) ?? -1) + 1);
      }),
      { seed: 20261126, numRuns: 1000 },
    );
  });
});
