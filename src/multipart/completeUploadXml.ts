/**
 * The CompleteMultipartUpload request document
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html):
 *
 *   <CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"…"</ETag>[<ChecksumCRC32>…]</Part>…
 *
 * The proxy reads the client's part list (to check the encrypted layout before S3 assembles the object) and
 * sends upstream a document of its own with only PartNumber and ETag: the client's per-part checksums describe
 * plaintext parts that S3 never received (it stores ciphertext, uploaded without checksums), so S3 could only
 * reject them. Fail closed: a DOCTYPE, anything but one CompleteMultipartUpload root, a Part without a valid
 * PartNumber or ETag, or more than 10,000 parts is MalformedXML.
 */
import { XMLValidator } from "fast-xml-parser";
import { ProxyError } from "../errors/ProxyError.ts";
import { s3XmlParser } from "../xml/s3XmlParser.ts";
import { escapeXmlText } from "./xmlText.ts";

/** 10,000 parts with ETags and checksums are about 1.5 MB; a document far larger is not a part list. */
export const MAX_COMPLETE_DOCUMENT_BYTES = 4 * 1024 * 1024;
const MAX_PARTS = 10_000;

export interface RequestedPart {
  partNumber: number;
  /** The ETag without quotes, as compared and forwarded. */
  etag: string;
}

const parser = s3XmlParser({ arrays: ["CompleteMultipartUpload.Part"] });

const malformed = (why: string): ProxyError =>
  new ProxyError(
    "MalformedXML",
    `The XML you provided was not well-formed or did not validate against our published schema: ${why}.`,
  );

/** `"abc"`, `&#34;abc&#34;` or `abc` → `abc` (ETags are quoted strings, RFC 9110 §8.8.3). */
export function bareEtag(etag: string): string {
  return etag
    .trim()
    .replace(/&#(?:34|x22);/gi, '"')
    .replace(/^"(.*)"$/s, "$1");
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value.trim() : undefined;
}

export function parseCompleteUpload(xml: string): RequestedPart[] {
  if (/<!DOCTYPE/i.test(xml)) throw malformed("a DOCTYPE is not allowed");
  if (XMLValidator.validate(xml) !== true) throw malformed("not well-formed");
  const doc = parser.parse(xml) as Record<string, unknown>;
  const roots = Object.keys(doc);
  if (roots.length !== 1 || roots[0] !== "CompleteMultipartUpload") {
    throw malformed("the root element must be CompleteMultipartUpload");
  }
  const root = doc["CompleteMultipartUpload"];
  const list = typeof root === "object" && root !== null ? (root as Record<string, unknown>)["Part"] : [];
  const parts = Array.isArray(list) ? (list as unknown[]) : [];
  if (parts.length === 0) throw malformed("no Part");
  if (parts.length > MAX_PARTS) throw malformed(`more than ${MAX_PARTS} parts`);
  return parts.map((part) => {
    const fields = typeof part === "object" && part !== null ? (part as Record<string, unknown>) : {};
    const number = text(fields["PartNumber"]);
    const etag = text(fields["ETag"]);
    if (number === undefined || !/^[1-9][0-9]{0,4}$/.test(number) || Number(number) > MAX_PARTS) {
      throw malformed("every Part needs a PartNumber between 1 and 10000");
    }
    if (etag === undefined || bareEtag(etag) === "") throw malformed(`part ${number} has no ETag`);
    return { partNumber: Number(number), etag: bareEtag(etag) };
  });
}

/** The document sent upstream: the client's parts with PartNumber and quoted ETag only. */
export function completeUploadXml(parts: readonly RequestedPart[]): string {
  const body = parts
    .map(
      (p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>"${escapeXmlText(p.etag)}"</ETag></Part>`,
    )
    .join("");
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</CompleteMultipartUpload>`
  );
}
