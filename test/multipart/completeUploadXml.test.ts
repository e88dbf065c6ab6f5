/**
 * The CompleteMultipartUpload part list as real clients write it (SDK v3 with a namespace and checksums,
 * botocore with raw quotes, escaped quotes), what the proxy refuses (MalformedXML), and the document it sends
 * upstream (PartNumber and ETag only).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { bareEtag, completeUploadXml, parseCompleteUpload } from "../../src/multipart/completeUploadXml.ts";

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProxyError, String(err));
    return err.code;
  }
  return "no error";
};

describe("parseCompleteUpload", () => {
  it("reads SDK v3, botocore and escaped-quote documents, ignoring per-part checksums", () => {
    const sdk =
      '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      "<Part><ChecksumCRC32>AAAAAA==</ChecksumCRC32><ETag>&quot;0a1b&quot;</ETag><PartNumber>1</PartNumber></Part>" +
      "<Part><ETag>&quot;2c3d&quot;</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>";
    assert.deepEqual(parseCompleteUpload(sdk), [
      { partNumber: 1, etag: "0a1b" },
      { partNumber: 2, etag: "2c3d" },
    ]);
    const boto = `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
      <Part><ETag>"ff"</ETag><PartNumber>1</PartNumber><ChecksumCRC32>x</ChecksumCRC32></Part>
    </CompleteMultipartUpload>`;
    assert.deepEqual(parseCompleteUpload(boto), [{ partNumber: 1, etag: "ff" }]);
    const numeric =
      "<CompleteMultipartUpload><Part><PartNumber>3</PartNumber><ETag>&#34;ab&#x22;</ETag></Part></CompleteMultipartUpload>";
    assert.deepEqual(parseCompleteUpload(numeric), [{ partNumber: 3, etag: "ab" }]);
  });

  it("refuses what is not a part list", () => {
    for (const xml of [
      "",
      "not xml",
      "<CompleteMultipartUpload>",
      "<CompleteMultipartUpload></CompleteMultipartUpload>",
      "<Other><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></Other>",
      '<!DOCTYPE x [<!ENTITY a "b">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&a;</ETag></Part></CompleteMultipartUpload>',
      "<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>",
      "<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
      "<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
      "<CompleteMultipartUpload><Part><PartNumber>01</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
      "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>""</ETag></Part></CompleteMultipartUpload>',
      "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
      "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload><X/>",
    ]) {
      assert.equal(
        code(() => parseCompleteUpload(xml)),
        "MalformedXML",
        xml,
      );
    }
    const many = `<CompleteMultipartUpload>${"<Part><PartNumber>1</PartNumber><ETag>a</ETag></Part>".repeat(10_001)}</CompleteMultipartUpload>`;
    assert.equal(
      code(() => parseCompleteUpload(many)),
      "MalformedXML",
    );
  });
});

describe("completeUploadXml", () => {
  it("lists PartNumber and quoted, escaped ETag only", () => {
    assert.equal(
      completeUploadXml([
        { partNumber: 1, etag: "0a1b" },
        { partNumber: 2, etag: "x&<y" },
      ]),
      '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Part><PartNumber>1</PartNumber><ETag>"0a1b"</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>"x&amp;&lt;y"</ETag></Part></CompleteMultipartUpload>',
    );
  });

  it("round-trips through parseCompleteUpload", () => {
    const parts = [1, 2, 3].map((n) => ({ partNumber: n, etag: `e${n}-1` }));
    assert.deepEqual(parseCompleteUpload(completeUploadXml(parts)), parts);
  });

  it("bareEtag strips one pair of quotes in any spelling", () => {
    assert.equal(bareEtag('"abc"'), "abc");
    assert.equal(bareEtag(" abc "), "abc");
    assert.equal(bareEtag("&#34;abc&#34;"), "abc");
    assert.equal(bareEtag('W/"abc"'), 'W/"abc"');
  });
});
