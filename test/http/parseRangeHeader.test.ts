/**
 * The Range header as S3 reads it: one byte range, anything else ignored (200 with the whole object). Examples
 * from LocalStack's AWS-validated range test and RFC 9110 §14.1.2, then properties over generated headers.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseRangeHeader } from "../../src/http/parseRangeHeader.ts";

void describe("parseRangeHeader", () => {
  void it("reads the three single-range forms", () => {
    assert.deepEqual(parseRangeHeader("bytes=0-8"), { kind: "from", first: 0, last: 8 });
    assert.deepEqual(parseRangeHeader("bytes=1-1"), { kind: "from", first: 1, last: 1 });
    assert.deepEqual(parseRangeHeader("bytes=1-"), { kind: "from", first: 1, last: undefined });
    assert.deepEqual(parseRangeHeader("bytes=-2"), { kind: "suffix", length: 2 });
    assert.deepEqual(parseRangeHeader("bytes=-0"), { kind: "suffix", length: 0 });
    assert.deepEqual(parseRangeHeader("bytes=100-200"), { kind: "from", first: 100, last: 200 });
    assert.deepEqual(parseRangeHeader("bytes=007-010"), { kind: "from", first: 7, last: 10 });
  });

  void it("takes the unit case-insensitively (RFC 9110 §14.1)", () => {
    assert.deepEqual(parseRangeHeader("Bytes=0-1"), { kind: "from", first: 0, last: 1 });
    assert.deepEqual(parseRangeHeader("BYTES=-5"), { kind: "suffix", length: 5 });
  });

  void it("ignores what S3 ignores: lists, other units, malformed or inverted specs", () => {
    for (const value of [
      undefined,
      "",
      "bytes=0-1,3-4,7-9", // AWS: 200 with the whole object
      "bytes=0-1,",
      "0-1",
      "bytes=-",
      "bytes=1-0",
      "bytes=0--1",
      "bytes=-1-",
      "bytes= 0-1",
      "bytes=0 -1",
      "items=0-1",
      "bytes=a-b",
      "bytes=0x10-",
      "bytes=+1-2",
    ]) {
      assert.equal(parseRangeHeader(value), undefined, String(value));
    }
  });

  void it("clamps positions beyond 2^53 without losing their meaning", () => {
    assert.deepEqual(parseRangeHeader("bytes=99999999999999999999-"), {
      kind: "from",
      first: Number.MAX_SAFE_INTEGER,
      last: undefined,
    });
    assert.deepEqual(parseRangeHeader("bytes=0-99999999999999999999"), {
      kind: "from",
      first: 0,
      last: Number.MAX_SAFE_INTEGER,
    });
    assert.deepEqual(parseRangeHeader("bytes=-99999999999999999999"), {
      kind: "suffix",
      length: Number.MAX_SAFE_INTEGER,
    });
  });

  void it("reads back every single range it could be sent", () => {
    const pos = fc.nat({ max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(pos, fc.option(pos, { nil: undefined }), (first, lastRaw) => {
        const last = lastRaw === undefined ? undefined : first + (lastRaw % 1_000_000);
        const header = `bytes=${first}-${last ?? ""}`;
        const safeLast = last === undefined ? undefined : Math.min(last, Number.MAX_SAFE_INTEGER);
        assert.deepEqual(parseRangeHeader(header), { kind: "from", first, last: safeLast });
      }),
      { seed: 20261126, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(), (length) => {
        assert.deepEqual(parseRangeHeader(`bytes=-${length}`), { kind: "suffix", length });
      }),
      { seed: 20261126, numRuns: 100 },
    );
  });

  void it("never throws, and ignores every header with more than one range", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseRangeHeader(s);
        parseRangeHeader(`bytes=${s}`);
        if (s.includes(",")) assert.equal(parseRangeHeader(`bytes=0-1${s}`), undefined);
      }),
      { seed: 20261126, numRuns: 500 },
    );
  });
});
