import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeUrlEncodedKey } from "../../src/listing/decodeUrlEncodedKey.ts";

void describe("decodeUrlEncodedKey", () => {
  it("decodes S3's form encoding", () => {
    assert.equal(decodeUrlEncodedKey("a+b%2Bc%2F%ED%95%9C/d"), "a b+c/한/d");
    assert.equal(decodeUrlEncodedKey("100%25.csv"), "100%.csv");
    assert.equal(decodeUrlEncodedKey("raw ✓"), "raw ✓");
  });

  it("refuses malformed escapes and bytes that are not UTF-8", () => {
    assert.equal(decodeUrlEncodedKey("a%2"), undefined);
    assert.equal(decodeUrlEncodedKey("a%zz"), undefined);
    assert.equal(decodeUrlEncodedKey("%C3%28"), undefined);
  });
});
