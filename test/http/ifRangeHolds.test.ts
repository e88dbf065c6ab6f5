import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ifRangeHolds } from "../../src/http/ifRangeHolds.ts";

const current = { etag: '"0123abcd"', lastModified: "Wed, 25 Nov 2026 10:00:00 GMT" };

void describe("ifRangeHolds (RFC 9110 §13.1.5)", () => {
  void it("holds for the identical strong ETag or the identical date", () => {
    assert.equal(ifRangeHolds('"0123abcd"', current), true);
    assert.equal(ifRangeHolds("Wed, 25 Nov 2026 10:00:00 GMT", current), true);
    assert.equal(ifRangeHolds(" Wednesday, 25-Nov-26 10:00:00 GMT ", current), true);
  });

  void it("fails for anything else: another tag, a weak tag, another date, garbage", () => {
    assert.equal(ifRangeHolds('"0123abce"', current), false);
    assert.equal(ifRangeHolds('W/"0123abcd"', current), false);
    assert.equal(ifRangeHolds('"0123abcd"', { ...current, etag: 'W/"0123abcd"' }), false);
    assert.equal(ifRangeHolds("Wed, 25 Nov 2026 10:00:01 GMT", current), false);
    assert.equal(ifRangeHolds("yesterday", current), false);
    assert.equal(ifRangeHolds('"0123abcd"', { etag: undefined, lastModified: undefined }), false);
    assert.equal(
      ifRangeHolds("Wed, 25 Nov 2026 10:00:00 GMT", { etag: undefined, lastModified: undefined }),
      false,
    );
  });
});
