/** x-amz-metadata-directive / x-amz-tagging-directive are read exactly as S3 reads them (copyDirectives.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metadataDirectiveOf, taggingDirectiveOf } from "../../src/copy/copyDirectives.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";

void describe("copy directives", () => {
  it("COPY by default, COPY and REPLACE as sent", () => {
    assert.equal(metadataDirectiveOf({}), "COPY");
    assert.equal(metadataDirectiveOf({ "x-amz-metadata-directive": "COPY" }), "COPY");
    assert.equal(metadataDirectiveOf({ "x-amz-metadata-directive": "REPLACE" }), "REPLACE");
    assert.equal(taggingDirectiveOf({ "x-amz-tagging-directive": "REPLACE" }), "REPLACE");
  });

  it("anything else is refused, never read as COPY (which would forward a copy without the envelope)", () => {
    // Node joins a repeated unknown header with ", ".
    for (const value of ["replace", "Replace", "COPY, REPLACE", "", "MOVE"]) {
      assert.throws(
        () => metadataDirectiveOf({ "x-amz-metadata-directive": value }),
        (err) => err instanceof ProxyError && err.code === "InvalidArgument",
        value,
      );
    }
  });
});
