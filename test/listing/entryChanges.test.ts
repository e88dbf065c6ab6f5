import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plaintextLength } from "../../src/crypto/index.ts";
import { changesFromFacts, changesFromSizeMath, plaintextSizeOf } from "../../src/listing/entryChanges.ts";
import { readListing } from "../../src/listing/readListing.ts";
import { LIST_V2 } from "./fixtures.ts";

void describe("entry changes", () => {
  const entries = readListing(LIST_V2).entries;

  it("math: every possible ciphertext length gets P(C) at e = 16 and a not-an-MD5 ETag", () => {
    assert.deepEqual(changesFromSizeMath(entries), [
      { size: 65537, etag: '"0123456789abcdef0123456789abcdef-1"' },
      { size: 1, etag: '"11111111111111111111111111111111-1"' },
      undefined, // 0 bytes: shorter than one record, cannot be ciphertext
      { size: 1048576, etag: '"22222222222222222222222222222222-2"' }, // multipart ETag kept
    ]);
  });

  it("facts: only entries known to be encrypted change, with their exponent and visible ETag", () => {
    const changes = changesFromFacts(entries, [
      { encrypted: true, segmentExponent: 16, etag: '"plain-md5"' },
      { encrypted: false },
      undefined,
      { encrypted: true, segmentExponent: 12, etag: '"22222222222222222222222222222222-2"' },
    ]);
    assert.deepEqual(changes, [
      { size: 65537, etag: '"plain-md5"' },
      undefined,
      undefined,
      { size: plaintextLength(1049088, 12), etag: '"22222222222222222222222222222222-2"' },
    ]);
  });

  it("facts: an encrypted object whose size is impossible stays as listed", () => {
    const changes = changesFromFacts(entries.slice(2, 3), [
      { encrypted: true, segmentExponent: 16, etag: '"x"' },
    ]);
    assert.deepEqual(changes, [undefined]);
  });

  it("plaintextSizeOf follows docs/FORMAT.md §6", () => {
    assert.equal(plaintextSizeOf(32, 16), 0);
    assert.equal(plaintextSizeOf(65568, 16), 65536);
    assert.equal(plaintextSizeOf(65601, 16), 65537);
    assert.equal(plaintextSizeOf(65569, 16), undefined);
    assert.equal(plaintextSizeOf(31, 16), undefined);
  });
});
