import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatS3Url, parseS3Url } from "../../src/tools/parseS3Url.ts";
import { ToolError } from "../../src/tools/ToolError.ts";

const usage = (err: unknown): boolean => err instanceof ToolError && err.code === "ToolUsage";

describe("parseS3Url", () => {
  it("splits bucket and key, keeping the key literal", () => {
    assert.deepEqual(parseS3Url("s3://b/k"), { bucket: "b", key: "k" });
    assert.deepEqual(parseS3Url("s3://b/dir/a b%20c+?x"), { bucket: "b", key: "dir/a b%20c+?x" });
    assert.deepEqual(parseS3Url("s3://b//lead"), { bucket: "b", key: "/lead" });
  });

  it("reads a trailing ?versionId=, unless --version-id is given", () => {
    assert.deepEqual(parseS3Url("s3://b/k?versionId=abc.123_X"), {
      bucket: "b",
      key: "k",
      versionId: "abc.123_X",
    });
    assert.deepEqual(parseS3Url("s3://b/k?versionId=v1", "v2"), {
      bucket: "b",
      key: "k?versionId=v1",
      versionId: "v2",
    });
  });

  it("refuses URLs without an object", () => {
    for (const bad of ["s3://", "s3://b", "s3://b/", "s3:///k", "http://b/k", "b/k", "s3://b/?versionId=x"]) {
      assert.throws(() => parseS3Url(bad), usage, bad);
    }
    assert.throws(() => parseS3Url("s3://b/k", ""), usage);
  });

  it("formats names with control characters escaped", () => {
    assert.equal(formatS3Url("b", "a\nb\x7f"), "s3://b/a\\x0ab\\x7f");
    assert.equal(formatS3Url("b", "k", "v"), "s3://b/k?versionId=v");
  });
});
