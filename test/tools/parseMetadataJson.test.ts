import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMetadataJson } from "../../src/tools/parseMetadataJson.ts";
import { ToolError } from "../../src/tools/ToolError.ts";

const invalid = (err: unknown): boolean => err instanceof ToolError && err.code === "MetadataInvalid";

describe("parseMetadataJson", () => {
  it("reads `aws s3api head-object` output", () => {
    const text = JSON.stringify({
      AcceptRanges: "bytes",
      ContentLength: 65568,
      ETag: '"abc"',
      VersionId: "v1",
      ContentType: "text/plain",
      Metadata: { "s3proxy-hdr": "AQ", "S3Proxy-Kek": "aeskw:a", owner: "me" },
    });
    assert.deepEqual(parseMetadataJson(text, "m.json"), {
      metadata: {
        "x-amz-meta-s3proxy-hdr": "AQ",
        "x-amz-meta-s3proxy-kek": "aeskw:a",
        "x-amz-meta-owner": "me",
      },
      contentLength: 65568,
      etag: '"abc"',
      versionId: "v1",
      contentType: "text/plain",
    });
  });

  it("reads a plain map, with or without the x-amz-meta- prefix", () => {
    const got = parseMetadataJson('{"x-amz-meta-s3proxy-hdr":"AQ","s3proxy-kek":"aeskw:a"}', "m.json");
    assert.deepEqual(
      { ...got.metadata },
      { "x-amz-meta-s3proxy-hdr": "AQ", "x-amz-meta-s3proxy-kek": "aeskw:a" },
    );
    assert.equal(got.contentLength, undefined);
  });

  it("refuses what is not a map of strings", () => {
    for (const bad of [
      "",
      "[]",
      "null",
      '{"a":1}',
      '{"Metadata":[]}',
      '{"Metadata":{},"ContentLength":-1}',
      '{"a":"1","x-amz-meta-a":"2"}',
    ]) {
      assert.throws(() => parseMetadataJson(bad, "m.json"), invalid, bad);
    }
  });
});
