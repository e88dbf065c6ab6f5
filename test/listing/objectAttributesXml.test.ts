import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readObjectAttributes, rewriteObjectAttributes } from "../../src/listing/objectAttributesXml.ts";
import { NS } from "./fixtures.ts";

/** A GetObjectAttributes answer for a 2-part encrypted object (1 MiB + 1 B), with checksums, as S3 writes it. */
const ANSWER =
  `<?xml version="1.0" encoding="UTF-8"?>\n<GetObjectAttributesResponse ${NS}>` +
  "<ETag>22222222222222222222222222222222-2</ETag>" +
  "<Checksum><ChecksumCRC32>AAAAAA==</ChecksumCRC32><ChecksumType>COMPOSITE</ChecksumType></Checksum>" +
  "<ObjectParts><IsTruncated>false</IsTruncated><MaxParts>1000</MaxParts><PartNumberMarker>0</PartNumberMarker>" +
  "<NextPartNumberMarker>2</NextPartNumberMarker><PartsCount>2</PartsCount>" +
  "<Part><ChecksumCRC32>BBBBBB==</ChecksumCRC32><PartNumber>1</PartNumber><Size>1049088</Size></Part>" +
  "<Part><ChecksumCRC32>CCCCCC==</ChecksumCRC32><PartNumber>2</PartNumber><Size>33</Size></Part>" +
  "</ObjectParts><StorageClass>STANDARD</StorageClass><ObjectSize>1049121</ObjectSize>" +
  "</GetObjectAttributesResponse>";

const partSize = (stored: number): number | undefined =>
  stored === 1049088 ? 1048576 : stored === 33 ? 1 : undefined;

void describe("GetObjectAttributes rewrite", () => {
  it("reads the stored ETag and size", () => {
    assert.deepEqual(readObjectAttributes(ANSWER), {
      etag: "22222222222222222222222222222222-2",
      objectSize: 1049121,
    });
  });

  it("shows plaintext sizes and the visible ETag, unquoted as S3 writes it here, and drops ciphertext checksums", () => {
    const out = rewriteObjectAttributes(ANSWER, {
      drop: new Set(),
      encrypted: { objectSize: 1048577, etag: '"22222222222222222222222222222222-2"', partSize },
    });
    assert.equal(
      out,
      `<?xml version="1.0" encoding="UTF-8"?>\n<GetObjectAttributesResponse ${NS}>` +
        "<ETag>22222222222222222222222222222222-2</ETag>" +
        "<ObjectParts><IsTruncated>false</IsTruncated><MaxParts>1000</MaxParts><PartNumberMarker>0</PartNumberMarker>" +
        "<NextPartNumberMarker>2</NextPartNumberMarker><PartsCount>2</PartsCount>" +
        "<Part><PartNumber>1</PartNumber><Size>1048576</Size></Part>" +
        "<Part><PartNumber>2</PartNumber><Size>1</Size></Part>" +
        "</ObjectParts><StorageClass>STANDARD</StorageClass><ObjectSize>1048577</ObjectSize>" +
        "</GetObjectAttributesResponse>",
    );
  });

  it("removes a part size that is not a part's ciphertext length", () => {
    const out = rewriteObjectAttributes(ANSWER, {
      drop: new Set(),
      encrypted: { objectSize: 1, etag: '"e"', partSize: () => undefined },
    });
    assert.ok(out.includes("<Part><PartNumber>1</PartNumber></Part>"));
  });

  it("removes the ETag and ObjectSize the client did not ask for; a legacy object is otherwise untouched", () => {
    const out = rewriteObjectAttributes(ANSWER, { drop: new Set(["ETag", "ObjectSize"]) });
    assert.equal(
      out,
      ANSWER.replace("<ETag>22222222222222222222222222222222-2</ETag>", "").replace(
        "<ObjectSize>1049121</ObjectSize>",
        "",
      ),
    );
    assert.equal(rewriteObjectAttributes(ANSWER, { drop: new Set() }), ANSWER);
  });

  it("keeps quotes when the server wrote them", () => {
    const quoted = ANSWER.replace(
      "<ETag>22222222222222222222222222222222-2</ETag>",
      "<ETag>&quot;abc&quot;</ETag>",
    );
    const out = rewriteObjectAttributes(quoted, {
      drop: new Set(),
      encrypted: { objectSize: 1, etag: '"abc-1"', partSize },
    });
    assert.ok(out.includes("<ETag>&quot;abc-1&quot;</ETag>"));
  });

  it("refuses other documents", () => {
    for (const xml of [
      "<Error><Code>NoSuchKey</Code></Error>",
      "garbage",
      `<GetObjectAttributesResponse><ETag>a</ETag><ETag>b</ETag></GetObjectAttributesResponse>`,
    ]) {
      assert.throws(() => readObjectAttributes(xml), { code: "ProxyUpstreamFailed" });
    }
  });
});
