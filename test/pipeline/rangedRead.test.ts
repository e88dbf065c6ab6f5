import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { rangedReadOf, withoutPartNumber, withoutRangeHeaders } from "../../src/pipeline/rangedRead.ts";

void describe("rangedReadOf", () => {
  void it("reads a Range, a partNumber, or nothing", () => {
    assert.deepEqual(rangedReadOf("bytes=1-2", undefined), {
      kind: "range",
      spec: { kind: "from", first: 1, last: 2 },
    });
    assert.deepEqual(rangedReadOf(undefined, 3), { kind: "part", partNumber: 3 });
    assert.equal(rangedReadOf(undefined, undefined), undefined);
    assert.equal(rangedReadOf("bytes=0-1,2-3", undefined), undefined); // S3 ignores it: a whole-object read
  });

  void it("refuses Range together with partNumber, as S3 does", () => {
    for (const range of ["bytes=0-1", "garbage"]) {
      assert.throws(
        () => rangedReadOf(range, 1),
        (err: unknown) => err instanceof ProxyError && err.code === "InvalidRequest" && err.status === 400,
      );
    }
  });
});

void describe("withoutPartNumber / withoutRangeHeaders", () => {
  void it("drop exactly those", () => {
    assert.equal(withoutPartNumber("/b/k?partNumber=2"), "/b/k");
    assert.equal(
      withoutPartNumber("/b/k?versionId=x%2By&partNumber=2&x-id=GetObject"),
      "/b/k?versionId=x%2By&x-id=GetObject",
    );
    assert.equal(withoutPartNumber("/b/k"), "/b/k");
    assert.equal(withoutPartNumber("/b/k?partnumber=2"), "/b/k?partnumber=2");
    assert.deepEqual(withoutRangeHeaders(["Range", "bytes=0-1", "If-Range", '"e"', "x-amz-date", "d"]), [
      "x-amz-date",
      "d",
    ]);
  });
});
