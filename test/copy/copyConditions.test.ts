/**
 * x-amz-copy-source-if-* (src/copy/copyConditions.ts), evaluated against the client-visible ETag with S3's
 * outcomes (API_CopyObject.html): every failure is 412, and the two documented pairs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { copySourceConditionsHold, readCopySourceConditions } from "../../src/copy/copyConditions.ts";

const ETAG = '"0f343b0931126a20f133d67c2b018a3b"';
const MODIFIED = Date.parse("Wed, 01 Jan 2025 00:00:00 GMT");
const BEFORE = "Tue, 31 Dec 2024 00:00:00 GMT";
const AFTER = "Thu, 02 Jan 2025 00:00:00 GMT";

function holds(headers: Record<string, string>): boolean {
  return copySourceConditionsHold(readCopySourceConditions(headers), { etag: ETAG, lastModified: MODIFIED });
}

void describe("copy-source conditions", () => {
  it("no conditions: the copy goes ahead", () => {
    assert.equal(holds({ "if-match": '"other"' }), true, "plain If-Match is the destination's, not these");
  });

  it("if-match / if-none-match against the client-visible ETag, quoted or bare", () => {
    assert.equal(holds({ "x-amz-copy-source-if-match": ETAG }), true);
    assert.equal(holds({ "x-amz-copy-source-if-match": ETAG.replace(/"/g, "") }), true);
    assert.equal(holds({ "x-amz-copy-source-if-match": '"other"' }), false);
    assert.equal(holds({ "x-amz-copy-source-if-none-match": ETAG }), false, "412, never 304");
    assert.equal(holds({ "x-amz-copy-source-if-none-match": '"other"' }), true);
  });

  it("dates", () => {
    assert.equal(holds({ "x-amz-copy-source-if-modified-since": BEFORE }), true);
    assert.equal(holds({ "x-amz-copy-source-if-modified-since": AFTER }), false, "412, never 304");
    assert.equal(holds({ "x-amz-copy-source-if-unmodified-since": AFTER }), true);
    assert.equal(holds({ "x-amz-copy-source-if-unmodified-since": BEFORE }), false);
  });

  it("S3's pairs: if-match true + if-unmodified-since false copies; if-none-match false + modified fails", () => {
    assert.equal(
      holds({ "x-amz-copy-source-if-match": ETAG, "x-amz-copy-source-if-unmodified-since": BEFORE }),
      true,
    );
    assert.equal(
      holds({ "x-amz-copy-source-if-none-match": ETAG, "x-amz-copy-source-if-modified-since": BEFORE }),
      false,
    );
  });
});
