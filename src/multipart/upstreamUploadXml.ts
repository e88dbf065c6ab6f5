/**
 * Reading and rewriting the XML S3 answers multipart operations with
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html, .../API_ListParts.html):
 * the proxy needs the upstream UploadId of a new upload, the stored part sizes and ETags for
 * CompleteMultipartUpload's layout check, and must show the client its own UploadId and plaintext part sizes.
 *
 * Rewriting edits only the text of `<UploadId>` and `<Size>` elements and leaves every other byte as S3 sent
 * it (namespaces, element order, whitespace, keys). That is sound on markup because XML forbids a literal `<`
 * in character data (XML 1.0 §2.4): in a well-formed document without CDATA sections or comments (S3 emits
 * neither; such a document is refused) the text `<Size>` can only be a tag.
 */
import { checkUpstreamXml, unreadableUpstreamXml as broken } from "../xml/unreadableUpstreamXml.ts";
import { s3XmlParser } from "../xml/s3XmlParser.ts";
import { escapeXmlText } from "./xmlText.ts";

/** ListParts returns at most 1,000 parts per page (about 300 KB); an answer far larger is not one. */
export const MAX_UPLOAD_DOCUMENT_BYTES = 4 * 1024 * 1024;

export interface StoredPart {
  partNumber: number;
  /** Without quotes. */
  etag: string;
  /** Stored (ciphertext) bytes. */
  size: number;
}

export interface ListPartsPage {
  parts: StoredPart[];
  truncated: boolean;
  nextPartNumberMarker: string | undefined;
}

const parser = s3XmlParser({ arrays: ["ListPartsResult.Part"] });

function parseDocument(xml: string, root: string): Record<string, unknown> {
  checkUpstreamXml(xml, `a ${root} document`);
  const doc = parser.parse(xml) as Record<string, unknown>;
  const body = doc[root];
  if (Object.keys(doc).length !== 1 || typeof body !== "object" || body === null) {
    throw broken(`a document other than ${root}`);
  }
  return body as Record<string, unknown>;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value.trim() : undefined);
const DECIMAL = /^[0-9]{1,16}$/;

/** The UploadId of an InitiateMultipartUploadResult. */
export function parseInitiateResult(xml: string): string {
  const id = text(parseDocument(xml, "InitiateMultipartUploadResult")["UploadId"]);
  if (id === undefined || id === "") throw broken("an InitiateMultipartUploadResult without UploadId");
  return id;
}

/** One page of a ListPartsResult. */
export function parseListPartsPage(xml: string): ListPartsPage {
  const body = parseDocument(xml, "ListPartsResult");
  const list = body["Part"];
  const parts = (Array.isArray(list) ? (list as unknown[]) : []).map((p): StoredPart => {
    const fields = typeof p === "object" && p !== null ? (p as Record<string, unknown>) : {};
    const number = text(fields["PartNumber"]);
    const size = text(fields["Size"]);
    const etag = text(fields["ETag"]);
    if (number === undefined || !DECIMAL.test(number) || size === undefined || !DECIMAL.test(size)) {
      throw broken("a ListPartsResult part without number or size");
    }
    return { partNumber: Number(number), etag: (etag ?? "").replace(/^"(.*)"$/s, "$1"), size: Number(size) };
  });
  return {
    parts,
    truncated: text(body["IsTruncated"]) === "true",
    nextPartNumberMarker: text(body["NextPartNumberMarker"]),
  };
}

/** The document with the text of its one `<UploadId>` element replaced by `clientUploadId`. */
export function withClientUploadId(xml: string, clientUploadId: string): string {
  const re = /<UploadId>[^<]*<\/UploadId>/g;
  const found = xml.match(re)?.length ?? 0;
  if (found !== 1 || /<!\[CDATA\[|<!--/.test(xml))
    throw broken("an upload document with an unexpected UploadId");
  return xml.replace(re, () => `<UploadId>${escapeXmlText(clientUploadId)}</UploadId>`);
}

/** The document with every `<Size>` (ListParts part sizes) mapped through `toPlaintext`. */
export function withPartSizes(xml: string, toPlaintext: (stored: number) => number): string {
  if (/<!\[CDATA\[|<!--/.test(xml)) throw broken("a ListPartsResult");
  return xml.replace(/<Size>\s*([0-9]{1,16})\s*<\/Size>/g, (_m, stored: string) => {
    return `<Size>${toPlaintext(Number(stored))}</Size>`;
  });
}
