import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  formatContentRange,
  formatUnsatisfiedRange,
  parseContentRange,
} from "../../src/http/contentRange.ts";

void describe("Content-Range", () => {
  void it("formats 206 and 416 values (RFC 9110 §14.4)", () => {
    assert.equal(formatContentRange(0, 500, 1234), "bytes 0-499/1234");
    assert.equal(formatContentRange(9, 10, 10), "bytes 9-9/10");
    assert.equal(formatUnsatisfiedRange(0), "bytes */0");
    assert.throws(() => formatContentRange(5, 5, 10), RangeError);
    assert.throws(() => formatContentRange(0, 11, 10), RangeError);
  });

  void it("parses what S3 sends back and refuses anything else", () => {
    assert.deepEqual(parseContentRange("bytes 65568-262271/1048608"), {
      start: 65568,
      end: 262272,
      complete: 1048608,
    });
    for (const bad of [
      undefined,
      "bytes */10",
      "bytes 5-4/10",
      "bytes 0-10/10",
      "bytes 0-1/*",
      "items 0-1/2",
    ]) {
      assert.equal(parseContentRange(bad), undefined, String(bad));
    }
  });

  void it("round-trips every satisfied range", () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 40 }), (a, b, c) => {
        const [start, end, complete] = [a, a + b + 1, a + b + 1 + c];
        assert.deepEqual(parseContentRange(formatContentRange(start, end, complete)), {
          start,
          end,
          complete,
        });
      }),
      { seed: 20261126, numRuns: 200 },
    );
  });
});
