import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeXmlText } from "../../src/listing/decodeXmlText.ts";

void describe("decodeXmlText", () => {
  it("decodes the predefined entities and character references", () => {
    assert.equal(decodeXmlText("a&amp;b&lt;c&gt;&quot;&apos;"), "a&b<c>\"'");
    assert.equal(decodeXmlText("x&#13;y&#x41;&#x1F600;"), "x\ryA😀");
    assert.equal(decodeXmlText("plain ✓"), "plain ✓");
  });

  it("refuses what is not a reference", () => {
    for (const bad of ["a&b", "&nbsp;", "&#xD800;", "&#x110000;", "&amp"]) {
      assert.equal(decodeXmlText(bad), undefined, bad);
    }
  });
});
