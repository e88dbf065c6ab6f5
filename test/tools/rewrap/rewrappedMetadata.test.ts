import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rewrappedMetadata } from "../../../src/tools/rewrap/rewrappedMetadata.ts";
import { ToolError } from "../../../src/tools/ToolError.ts";

describe("rewrappedMetadata", () => {
  it("replaces kek and dek only", () => {
    const before = {
      "s3proxy-hdr": "H",
      "s3proxy-kek": "aeskw:old",
      "s3proxy-dek": "D",
      "s3proxy-md5": "M",
      owner: "me",
    };
    const after = rewrappedMetadata(before, { kekRef: "aeskw:new", wrappedDek: Buffer.from([1, 2, 3]) });
    assert.deepEqual(after, { ...before, "s3proxy-kek": "aeskw:new", "s3proxy-dek": "AQID" });
  });

  it("refuses metadata that would exceed S3's 2 KB", () => {
    const big = { "s3proxy-hdr": "H", note: "x".repeat(1900) };
    assert.throws(
      () => rewrappedMetadata(big, { kekRef: `kms:${"a".repeat(100)}`, wrappedDek: Buffer.alloc(184) }),
      (err: unknown) => err instanceof ToolError && err.code === "MetadataTooLarge",
    );
  });
});
