/** x-amz-copy-source-range of UploadPartCopy, over the plaintext (src/copy/copySourceRange.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { copySourceSpan } from "../../src/copy/copySourceRange.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";

const invalidArgument = (err: unknown): boolean =>
  err instanceof ProxyError && err.code === "InvalidArgument";

void describe("copySourceSpan", () => {
  it("the whole source without the header, [first, last + 1) with it", () => {
    assert.deepEqual(copySourceSpan(undefined, 100), { start: 0, end: 100 });
    assert.deepEqual(copySourceSpan(undefined, 0), { start: 0, end: 0 });
    assert.deepEqual(copySourceSpan("bytes=0-99", 100), { start: 0, end: 100 });
    assert.deepEqual(copySourceSpan("bytes=10-10", 100), { start: 10, end: 11 });
  });

  it("only bytes=first-last, inside the source", () => {
    for (const bad of ["bytes=5-", "bytes=-5", "bytes=9-3", "bytes=0-1,3-4", "items=0-1", "bytes= 0-1"]) {
      assert.throws(() => copySourceSpan(bad, 100), invalidArgument, bad);
    }
    assert.throws(
      () => copySourceSpan("bytes=0-100", 100),
      (err) => invalidArgument(err) && (err as Error).message.endsWith("source object of size: 100"),
    );
  });
});
