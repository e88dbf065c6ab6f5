/**
 * The XML answers of CopyObject and UploadPartCopy
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html, API_UploadPartCopy.html):
 * `CopyObjectResult` / `CopyPartResult` with ETag, LastModified and, when S3 computed them, Checksum* fields.
 *
 * - `rewriteCopyObjectResult`: S3's answer to a forwarded CopyObject, with the ETag replaced by the one the
 *   client will see for the copy (clientEtag.ts rules) and the checksums dropped (they are of the ciphertext).
 *   Every other byte stays as S3 sent it. As in upstreamUploadXml.ts, editing by pattern is sound because XML
 *   forbids a literal `<` in character data (XML 1.0 §2.4) and S3 sends neither CDATA nor comments (a document
 *   with them is refused). S3 may answer a copy with 200 and an `<Error>` document ("If the error occurs during
 *   the copy operation, the error response is embedded in the 200 OK response"): that passes unchanged.
 * - `copyObjectResultXml`, `copyPartResultXml`: the proxy's own answers when it carried out the copy itself
 *   (re-encrypting a plaintext source; UploadPartCopy done as UploadPart).
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { escapeXmlText } from "../multipart/xmlText.ts";

const CHECKSUM_ELEMENT =
  /<(ChecksumCRC32|ChecksumCRC32C|ChecksumCRC64NVME|ChecksumSHA1|ChecksumSHA256|ChecksumType)>[^<]*<\/\1>/g;
const ETAG_ELEMENT = /<ETag>([^<]*)<\/ETag>/g;

/**
 * The ETag in the form response headers carry it, `"<hex>"`: S3 writes the quotes as character references
 * (`&quot;`), radosgw (16.2) writes none at all.
 */
function storedEtagOf(text: string): string {
  const bare = text
    .replace(/&quot;|&#34;|&#x22;/gi, '"')
    .replace(/&amp;/g, "&")
    .trim();
  return bare.startsWith('"') ? bare : `"${bare}"`;
}

export function rewriteCopyObjectResult(xml: string, clientEtag: (stored: string) => string): string {
  if (!/<CopyObjectResult[\s>]/.test(xml)) return xml;
  if (/<!\[CDATA\[|<!--/.test(xml)) {
    throw new ProxyError(
      "ProxyUpstreamFailed",
      "The upstream answered a CopyObjectResult the proxy cannot read.",
    );
  }
  return xml
    .replace(
      ETAG_ELEMENT,
      (_m, text: string) => `<ETag>${escapeXmlText(clientEtag(storedEtagOf(text)))}</ETag>`,
    )
    .replace(CHECKSUM_ELEMENT, "");
}

export interface CopyResult {
  /** The quoted ETag the client sees. */
  readonly etag: string;
  /** When the copy was written, epoch milliseconds. */
  readonly lastModified: number;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function result(root: string, r: CopyResult): string {
  // S3 writes LastModified as an ISO 8601 timestamp with milliseconds, e.g. 2009-10-12T17:50:30.000Z.
  const modified = new Date(r.lastModified).toISOString();
  return (
    `${DECLARATION}<${root} ${NS}><LastModified>${modified}</LastModified>` +
    `<ETag>${escapeXmlText(r.etag)}</ETag></${root}>`
  );
}

export const copyObjectResultXml = (r: CopyResult): string => result("CopyObjectResult", r);
export const copyPartResultXml = (r: CopyResult): string => result("CopyPartResult", r);
