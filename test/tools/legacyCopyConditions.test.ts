import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { legacyCopyConditionHeaders } from "../../src/tools/legacyCopyConditions.ts";

describe("legacyCopyConditionHeaders", () => {
  it("repeats each copy-source condition under radosgw's name", () => {
    assert.deepEqual(
      legacyCopyConditionHeaders({
        "x-amz-copy-source": "b/k",
        "x-amz-copy-source-if-match": '"e"',
        "x-amz-copy-source-if-unmodified-since": "Wed, 21 Oct 2015 07:28:00 GMT",
        "x-amz-copy-source-range": "bytes=0-9",
      }),
      { "x-amz-copy-if-match": '"e"', "x-amz-copy-if-unmodified-since": "Wed, 21 Oct 2015 07:28:00 GMT" },
    );
    assert.deepEqual(legacyCopyConditionHeaders({ "x-amz-copy-source": "b/k" }), {});
  });
});
