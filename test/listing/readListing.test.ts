import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readListing } from "../../src/listing/readListing.ts";
import { LIST_V1_EMPTY, LIST_V1_PRETTY, LIST_V2, LIST_V2_URL, LIST_VERSIONS, NS } from "./fixtures.ts";

void describe("readListing", () => {
  it("finds every Contents entry with its decoded key, ETag and size", () => {
    const listing = readListing(LIST_V2);
    assert.equal(listing.root, "ListBucketResult");
    assert.equal(listing.urlEncoded, false);
    assert.deepEqual(
      listing.entries.map((e) => [e.key, e.etag, e.size, e.versionId]),
      [
        ["a&b <c> ✓.bin", '"0123456789abcdef0123456789abcdef"', 65601, undefined],
        ["cr\rlf", '"11111111111111111111111111111111"', 33, undefined],
        ["dir/", '"d41d8cd98f00b204e9800998ecf8427e"', 0, undefined],
        ["multi.bin", '"22222222222222222222222222222222-2"', 1049088, undefined],
      ],
    );
    const first = listing.entries[0]!;
    assert.equal(LIST_V2.slice(first.sizeSpan!.start, first.sizeSpan!.end), "65601");
    assert.equal(
      LIST_V2.slice(first.etagSpan!.start, first.etagSpan!.end),
      "&quot;0123456789abcdef0123456789abcdef&quot;",
    );
  });

  it("does not take CommonPrefixes for entries", () => {
    assert.equal(readListing(LIST_V2).entries.length, 4);
  });

  it("decodes URL-encoded keys (EncodingType=url: + is a space, %2B a plus)", () => {
    const listing = readListing(LIST_V2_URL);
    assert.equal(listing.urlEncoded, true);
    assert.equal(listing.entries[0]?.key, "run books/a+b 한.txt");
  });

  it("reads an empty listing", () => {
    assert.deepEqual(readListing(LIST_V1_EMPTY).entries, []);
  });

  it("reads Version entries with their version ids and leaves delete markers out", () => {
    const listing = readListing(LIST_VERSIONS);
    assert.equal(listing.root, "ListVersionsResult");
    assert.deepEqual(
      listing.entries.map((e) => [e.key, e.versionId, e.size]),
      [
        ["k", "v2", 33],
        ["k", "v0", 65601],
      ],
    );
  });

  it("reads pretty-printed documents with literal quotes and padded sizes", () => {
    const [entry] = readListing(LIST_V1_PRETTY).entries;
    assert.equal(entry?.etag, '"66666666666666666666666666666666"');
    assert.equal(entry?.size, 65601);
  });

  it("refuses what it cannot rewrite exactly", () => {
    const refused = [
      "not xml",
      `<Error><Code>NoSuchBucket</Code></Error>`,
      `<ListBucketResult ${NS}><Contents><Key>a</Key><!-- <Size>1</Size> --><Size>33</Size></Contents></ListBucketResult>`,
      `<ListBucketResult ${NS}><Contents><Key><![CDATA[a]]></Key><Size>33</Size></Contents></ListBucketResult>`,
      `<!DOCTYPE x><ListBucketResult ${NS}></ListBucketResult>`,
      // An entry the scanner would not see (attributes, prefixes) must not be skipped silently.
      `<ListBucketResult ${NS}><Contents a="1"><Key>a</Key><Size>33</Size></Contents></ListBucketResult>`,
      `<s3:ListBucketResult xmlns:s3="x"><s3:Contents><s3:Key>a</s3:Key></s3:Contents></s3:ListBucketResult>`,
      `<ListBucketResult ${NS}><Contents><Key>a</Key><Size>33</Size><Size>34</Size></Contents></ListBucketResult>`,
    ];
    for (const xml of refused) {
      assert.throws(() => readListing(xml), { code: "ProxyUpstreamFailed" }, xml);
    }
  });

  it("keeps entries without a usable key or size addressable but unresolved", () => {
    const xml = `<ListBucketResult ${NS}><EncodingType>url</EncodingType><Contents><Key>%FF</Key><ETag>"e"</ETag><Size>x</Size></Contents></ListBucketResult>`;
    const [entry] = readListing(xml).entries;
    assert.equal(entry?.key, undefined);
    assert.equal(entry?.size, undefined);
    assert.equal(entry?.sizeSpan, undefined);
  });
});
