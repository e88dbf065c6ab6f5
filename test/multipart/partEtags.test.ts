/**
 * Client part ETags in CompleteMultipartUpload (docs/FORMAT.md §15): the plaintext part MD5s UploadPart answered,
 * or the stored ETags ListParts shows, mapped to the stored parts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isMd5Etag, namesStoredPart, upstreamCompleteParts } from "../../src/multipart/partEtags.ts";
import type { StoredPart } from "../../src/multipart/upstreamUploadXml.ts";

// md5("hello")
const HELLO = "5d41402abc4b2a76b9719d911017c592";

describe("part ETags against stored parts", () => {
  const stored = new Map<number, StoredPart>([
    [1, { partNumber: 1, etag: "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1", size: 100 }],
    [2, { partNumber: 2, etag: "sse-kms-style-opaque", size: 50 }],
  ]);
  const part = (n: number): StoredPart => stored.get(n)!;

  it("accepts an MD5 (the plaintext ETag UploadPart answered) or exactly the stored ETag", () => {
    assert.equal(namesStoredPart(HELLO, part(1)), true);
    assert.equal(namesStoredPart("c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1", part(1)), true);
    assert.equal(namesStoredPart("sse-kms-style-opaque", part(2)), true);
  });

  it("refuses anything else", () => {
    for (const bad of ["", "0", "xyz", `${HELLO}-1`, `${HELLO}0`, "g".repeat(32), "sse-kms-style-opaquE"]) {
      assert.equal(namesStoredPart(bad, part(2)), false, bad);
      assert.equal(isMd5Etag(bad), false, bad);
    }
  });

  it("sends upstream the stored ETag of each requested part, in the client's order", () => {
    assert.deepEqual(
      upstreamCompleteParts(
        [
          { partNumber: 1, etag: HELLO },
          { partNumber: 2, etag: "sse-kms-style-opaque" },
        ],
        stored,
      ),
      [
        { partNumber: 1, etag: "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1" },
        { partNumber: 2, etag: "sse-kms-style-opaque" },
      ],
    );
    assert.throws(() => upstreamCompleteParts([{ partNumber: 3, etag: HELLO }], stored));
  });
});
