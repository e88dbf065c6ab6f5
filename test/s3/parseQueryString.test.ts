import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { parseQueryString } from "../../src/s3/parseQueryString.ts";

describe("parseQueryString", () => {
  it("returns nothing for an empty query", () => {
    assert.deepEqual(parseQueryString(""), []);
  });

  it("gives valueless sub-resources the value '' and keeps order and duplicates", () => {
    assert.deepEqual(parseQueryString("uploads&acl=&a=1&a=2&versionId=v"), [
      ["uploads", ""],
      ["acl", ""],
      ["a", "1"],
      ["a", "2"],
      ["versionId", "v"],
    ]);
  });

  it("decodes names and values, + as space, and splits at the first '=' only", () => {
    assert.deepEqual(parseQueryString("prefix=a%2Fb+c%2B&token=x%3D%3D&eq=a=b"), [
      ["prefix", "a/b c+"],
      ["token", "x=="],
      ["eq", "a=b"],
    ]);
  });

  it("skips empty segments like URLSearchParams", () => {
    assert.deepEqual(parseQueryString("&&a=1&&"), [["a", "1"]]);
  });

  it("keeps an empty name (the classifier refuses it as unknown)", () => {
    assert.deepEqual(parseQueryString("=x"), [["", "x"]]);
  });

  it("reads presigned-URL parameters", () => {
    const q = parseQueryString(
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host",
    );
    assert.deepEqual(q[1], ["X-Amz-Credential", "AKID/20260101/us-east-1/s3/aws4_request"]);
  });

  it("rejects malformed escapes and invalid UTF-8 with InvalidURI", () => {
    for (const bad of ["a=%", "a=%zz", "%ff=1", "a=%C0%AF", "a=b c"]) {
      assert.throws(
        () => parseQueryString(bad),
        (err: unknown) => err instanceof ProxyError && err.code === "InvalidURI",
        bad,
      );
    }
  });
});
