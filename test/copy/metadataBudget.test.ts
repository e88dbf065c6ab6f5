/** S3's 2 KB metadata cap shared by the client's metadata and the envelope (src/copy/metadataBudget.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkMetadataBudget, userMetadataBytes } from "../../src/copy/metadataBudget.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";

// docs/FORMAT.md §2's local-key example: 226 bytes.
const ENVELOPE = {
  "x-amz-meta-s3proxy-hdr": "A".repeat(91),
  "x-amz-meta-s3proxy-kek": "aeskw:prod-2025",
  "x-amz-meta-s3proxy-dek": "B".repeat(54),
};

void describe("metadata budget", () => {
  it("counts x-amz-meta-* names with their prefix (lower-cased) and values in UTF-8", () => {
    assert.equal(
      userMetadataBytes(["X-Amz-Meta-A", "é", "Content-Type", "text/plain", "x-amz-meta-bb", ""]),
      12 + 2 + 13,
    );
  });

  it("passes up to 2048 bytes together with the envelope, fails past it saying what is left", () => {
    assert.doesNotThrow(() => checkMetadataBudget(2048 - 226, ENVELOPE));
    assert.throws(
      () => checkMetadataBudget(2048 - 225, ENVELOPE),
      (err) =>
        err instanceof ProxyError &&
        err.code === "MetadataTooLarge" &&
        err.status === 400 &&
        err.message.includes("226 bytes of s3proxy's encryption envelope") &&
        err.message.includes("1822 bytes are left"),
    );
  });
});
