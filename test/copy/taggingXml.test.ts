/** GetObjectTagging answers as x-amz-tagging (src/copy/taggingXml.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeTagging, parseTagSet } from "../../src/copy/taggingXml.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";

void describe("tagging", () => {
  it("parses a tag set, entities decoded, empty values kept, and encodes it as a URL query", () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>' +
      "<Tag><Key>team</Key><Value>storage &amp; backup</Value></Tag><Tag><Key>a=b</Key><Value></Value></Tag>" +
      "</TagSet></Tagging>";
    const tags = parseTagSet(xml);
    assert.deepEqual(tags, [
      ["team", "storage & backup"],
      ["a=b", ""],
    ]);
    assert.equal(encodeTagging(tags), "team=storage%20%26%20backup&a%3Db=");
  });

  it("an empty tag set, and one tag (not an array in the parse)", () => {
    assert.deepEqual(parseTagSet("<Tagging><TagSet></TagSet></Tagging>"), []);
    assert.deepEqual(parseTagSet("<Tagging><TagSet/></Tagging>"), []);
    assert.deepEqual(
      parseTagSet("<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>"),
      [["k", "v"]],
    );
  });

  it("refuses what is not a Tagging document", () => {
    for (const bad of ["<Error><Code>x</Code></Error>", "<Tagging><TagSet>", "<!-- x --><Tagging/>"]) {
      assert.throws(
        () => parseTagSet(bad),
        (err) => err instanceof ProxyError && err.code === "ProxyUpstreamFailed",
      );
    }
  });
});
