import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkRecordPosition, expectedRecord } from "../../src/crypto/recordPosition.ts";
import { throwsWith } from "./helpers.ts";

void describe("record position", () => {
  void it("single-part: record g is (0, g, G)", () => {
    assert.deepEqual(expectedRecord(4, 9, "single"), { part: 0, index: 4, count: 9 });
  });

  void it("multipart: parts of K records, the last one shorter", () => {
    // K = 3, G = 8: parts 1 [0..2], 2 [3..5], 3 [6..7]
    const want = [
      [1, 0, 3],
      [1, 1, 3],
      [1, 2, 3],
      [2, 0, 3],
      [2, 1, 3],
      [2, 2, 3],
      [3, 0, 2],
      [3, 1, 2],
    ];
    want.forEach(([part, index, count], g) => {
      assert.deepEqual(expectedRecord(g, 8, "multipart", 3), { part, index, count });
    });
    assert.deepEqual(expectedRecord(5, 6, "multipart", 3), { part: 2, index: 2, count: 3 });
    assert.throws(() => expectedRecord(0, 1, "multipart"), TypeError);
    assert.throws(() => expectedRecord(0, 1, "multipart", 0), RangeError);
  });

  void it("names the failure: misplaced, truncated or trailing", () => {
    const nonce = Buffer.alloc(8);
    const want = { part: 2, index: 1, count: 3 };
    checkRecordPosition(4, { part: 2, partNonce: nonce, index: 1, count: 3 }, want);
    throwsWith(
      () => checkRecordPosition(4, { part: 2, partNonce: nonce, index: 2, count: 3 }, want),
      "DecryptSegmentMisplaced",
    );
    throwsWith(
      () => checkRecordPosition(4, { part: 1, partNonce: nonce, index: 1, count: 3 }, want),
      "DecryptSegmentMisplaced",
    );
    throwsWith(
      () => checkRecordPosition(4, { part: 2, partNonce: nonce, index: 1, count: 4 }, want),
      "DecryptTruncated",
    );
    throwsWith(
      () => checkRecordPosition(4, { part: 2, partNonce: nonce, index: 1, count: 2 }, want),
      "DecryptTrailingData",
    );
  });
});
