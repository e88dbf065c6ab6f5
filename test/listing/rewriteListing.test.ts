import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { readListing } from "../../src/listing/readListing.ts";
import { etagText, rewriteListing } from "../../src/listing/rewriteListing.ts";
import { LIST_V1_PRETTY, LIST_V2, LIST_VERSIONS } from "./fixtures.ts";

void describe("rewriteListing", () => {
  it("replaces only the Size and ETag text of changed entries; every other byte stays", () => {
    const listing = readListing(LIST_V2);
    const out = rewriteListing(LIST_V2, listing.entries, [
      { size: 65537, etag: '"0123456789abcdef0123456789abcdef-1"' },
      undefined,
      undefined,
      { size: 1048576 },
    ]);
    const expected = LIST_V2.replace(
      "&quot;0123456789abcdef0123456789abcdef&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><Size>65601",
      "&quot;0123456789abcdef0123456789abcdef-1&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><Size>65537",
    ).replace("<Size>1049088</Size>", "<Size>1048576</Size>");
    assert.equal(out, expected);
    // Keys keep their escaping, and the result is still a listing of the same entries.
    assert.ok(out.includes("<Key>a&amp;b &lt;c&gt; ✓.bin</Key>") && out.includes("<Key>cr&#13;lf</Key>"));
    assert.deepEqual(
      readListing(out).entries.map((e) => [e.key, e.size]),
      [
        ["a&b <c> ✓.bin", 65537],
        ["cr\rlf", 33],
        ["dir/", 0],
        ["multi.bin", 1048576],
      ],
    );
  });

  it("returns the document unchanged when nothing changes", () => {
    const listing = readListing(LIST_VERSIONS);
    assert.equal(rewriteListing(LIST_VERSIONS, listing.entries, []), LIST_VERSIONS);
  });

  it("rewrites version entries and leaves delete markers alone", () => {
    const listing = readListing(LIST_VERSIONS);
    const out = rewriteListing(LIST_VERSIONS, listing.entries, [{ size: 1, etag: '"m"' }, { size: 65537 }]);
    const parsed = new XMLParser({ parseTagValue: false }).parse(out) as {
      ListVersionsResult: { Version: { Size: string; ETag: string }[]; DeleteMarker: unknown };
    };
    assert.deepEqual(
      parsed.ListVersionsResult.Version.map((v) => [v.Size, v.ETag]),
      [
        ["1", '"m"'],
        ["65537", '"55555555555555555555555555555555"'],
      ],
    );
    assert.ok(out.includes("<DeleteMarker><Key>k</Key><VersionId>v1</VersionId>"));
  });

  it("writes an ETag in the form the original used", () => {
    const listing = readListing(LIST_V1_PRETTY);
    const out = rewriteListing(LIST_V1_PRETTY, listing.entries, [{ size: 65537, etag: '"x-1"' }]);
    assert.ok(out.includes('<ETag>"x-1"</ETag>'));
    assert.ok(out.includes("<Size>65537</Size>"));
    assert.equal(etagText('"a&b"', "&quot;x&quot;"), "&quot;a&amp;b&quot;");
    assert.equal(etagText('"a"', "a"), '"a"');
  });
});
