/** CopyObjectResult rewriting and the proxy's own copy results (src/copy/copyResultXml.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  copyObjectResultXml,
  copyPartResultXml,
  rewriteCopyObjectResult,
} from "../../src/copy/copyResultXml.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";

const marked = (stored: string): string => stored.replace(/"$/, '-1"');

void describe("rewriteCopyObjectResult", () => {
  it("S3's form: quoted ETag as &quot;, checksums of the ciphertext removed, the rest byte for byte", () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      "<LastModified>2025-01-01T00:00:00.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>" +
      "<ChecksumCRC32>AAAAAA==</ChecksumCRC32><ChecksumType>FULL_OBJECT</ChecksumType></CopyObjectResult>";
    const seen: string[] = [];
    const out = rewriteCopyObjectResult(xml, (stored) => {
      seen.push(stored);
      return marked(stored);
    });
    assert.deepEqual(seen, ['"9b2cf535f27731c974343645a3985328"']);
    assert.equal(
      out,
      '<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        "<LastModified>2025-01-01T00:00:00.000Z</LastModified>" +
        "<ETag>&quot;9b2cf535f27731c974343645a3985328-1&quot;</ETag></CopyObjectResult>",
    );
  });

  it("radosgw's form: an unquoted ETag is read as the quoted one", () => {
    const out = rewriteCopyObjectResult(
      "<CopyObjectResult><LastModified>x</LastModified><ETag>0502c60a35d0dde1ac56b2fcee9b3a19</ETag></CopyObjectResult>",
      marked,
    );
    assert.match(out, /<ETag>&quot;0502c60a35d0dde1ac56b2fcee9b3a19-1&quot;<\/ETag>/);
  });

  it("an error document in a 200 passes unchanged; CDATA and comments are refused", () => {
    const error = "<Error><Code>InternalError</Code><Message>copy failed</Message></Error>";
    assert.equal(rewriteCopyObjectResult(error, marked), error);
    assert.throws(
      () =>
        rewriteCopyObjectResult("<CopyObjectResult><ETag><![CDATA[x]]></ETag></CopyObjectResult>", marked),
      (err) => err instanceof ProxyError && err.code === "ProxyUpstreamFailed",
    );
  });
});

void describe("the proxy's own copy results", () => {
  it("CopyObjectResult / CopyPartResult with ISO LastModified and the escaped ETag", () => {
    const r = { etag: '"abc-1"', lastModified: Date.UTC(2025, 0, 2, 3, 4, 5, 6) };
    assert.equal(
      copyObjectResultXml(r),
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        "<LastModified>2025-01-02T03:04:05.006Z</LastModified><ETag>&quot;abc-1&quot;</ETag></CopyObjectResult>",
    );
    assert.match(
      copyPartResultXml(r),
      /^<\?xml[^>]*>\n<CopyPartResult [^>]*><LastModified>2025-01-02T03:04:05\.006Z/,
    );
  });
});
