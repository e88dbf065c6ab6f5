/**
 * Reading and rewriting S3's multipart answers: the UploadId of an InitiateMultipartUploadResult, the parts of a
 * ListPartsResult page, and the byte-preserving rewrites of `<UploadId>` and `<Size>`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import {
  parseInitiateResult,
  parseListPartsPage,
  withClientUploadId,
  withPartSizes,
} from "../../src/multipart/upstreamUploadXml.ts";

const INITIATE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
  "<Bucket>b</Bucket><Key>a&amp;b &lt;c&gt;</Key><UploadId>2~abc&amp;def</UploadId></InitiateMultipartUploadResult>";

const LIST_PARTS = `<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>b</Bucket><Key>k &lt;Size&gt;1&lt;/Size&gt;</Key><UploadId>2~up</UploadId>
  <PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker>
  <MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>
  <Part><PartNumber>1</PartNumber><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"aa"</ETag><Size>5245440</Size></Part>
  <Part><PartNumber>2</PartNumber><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;bb&quot;</ETag><Size>32</Size></Part>
  <StorageClass>STANDARD</StorageClass>
</ListPartsResult>`;

const failsUpstream = (fn: () => unknown): void =>
  assert.throws(fn, (err: unknown) => err instanceof ProxyError && err.code === "ProxyUpstreamFailed");

describe("upstream multipart documents", () => {
  it("reads the UploadId of a new upload (entities decoded)", () => {
    assert.equal(parseInitiateResult(INITIATE), "2~abc&def");
    failsUpstream(() =>
      parseInitiateResult(
        "<InitiateMultipartUploadResult><Bucket>b</Bucket></InitiateMultipartUploadResult>",
      ),
    );
    failsUpstream(() => parseInitiateResult("<Error><Code>X</Code></Error>"));
    failsUpstream(() => parseInitiateResult("<InitiateMultipartUploadResult>"));
  });

  it("reads a ListParts page", () => {
    assert.deepEqual(parseListPartsPage(LIST_PARTS), {
      parts: [
        { partNumber: 1, etag: "aa", size: 5245440 },
        { partNumber: 2, etag: "bb", size: 32 },
      ],
      truncated: true,
      nextPartNumberMarker: "2",
    });
    assert.deepEqual(
      parseListPartsPage("<ListPartsResult><IsTruncated>false</IsTruncated></ListPartsResult>"),
      {
        parts: [],
        truncated: false,
        nextPartNumberMarker: undefined,
      },
    );
    failsUpstream(() =>
      parseListPartsPage(
        "<ListPartsResult><Part><PartNumber>1</PartNumber><Size>x</Size></Part></ListPartsResult>",
      ),
    );
  });

  it("rewrites the UploadId, escaping it, and nothing else", () => {
    const out = withClientUploadId(INITIATE, "2~abc&def.s3p.AAAA");
    assert.equal(out, INITIATE.replace("2~abc&amp;def</UploadId>", "2~abc&amp;def.s3p.AAAA</UploadId>"));
    assert.equal(parseInitiateResult(out), "2~abc&def.s3p.AAAA");
    failsUpstream(() => withClientUploadId("<X><UploadId>a</UploadId><UploadId>b</UploadId></X>", "c"));
    failsUpstream(() => withClientUploadId("<X></X>", "c"));
  });

  it("rewrites part sizes (and only Size elements, never text that looks like one)", () => {
    const out = withPartSizes(LIST_PARTS, (c) => c - 1000);
    assert.equal(
      out,
      LIST_PARTS.replace("<Size>5245440</Size>", "<Size>5244440</Size>").replace(
        "<Size>32</Size>",
        "<Size>-968</Size>",
      ),
    );
    assert.match(out, /<Key>k &lt;Size&gt;1&lt;\/Size&gt;<\/Key>/);
    failsUpstream(() => withPartSizes("<A><!-- <Size>1</Size> --></A>", (c) => c));
  });
});
