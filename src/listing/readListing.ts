/**
 * Finds the object entries of an S3 listing and where their `<Size>` and `<ETag>` text lies, so that the proxy
 * can replace exactly those and leave every other byte as S3 sent it (declaration, namespace, element order,
 * whitespace, entity escaping of keys): clients (SDKs, AWS CLI, rclone, s3cmd) then parse the answer as they
 * would S3's. Handled documents (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html,
 * .../API_ListObjectsV2.html, .../API_ListObjectVersions.html):
 *
 *   ListBucketResult    (ListObjects, ListObjectsV2)  entries: <Contents>
 *   ListVersionsResult  (ListObjectVersions)          entries: <Version>; <DeleteMarker> has no size: untouched
 *
 * Locating elements by their tags is sound on markup because XML forbids a literal `<` in character data
 * (XML 1.0 §2.4): in a well-formed document without CDATA sections or comments (S3 emits neither; a document
 * with them is refused) the text `<Size>` can only be a tag. fast-xml-parser checks well-formedness and
 * independently parses the entries; the two views must agree (same number of entries, same raw keys), so a
 * document laid out in a way the scanner does not expect (namespace prefixes, attributes on entries) is refused
 * rather than half rewritten.
 */
import { s3XmlParser } from "../xml/s3XmlParser.ts";
import { checkUpstreamXml, unreadableUpstreamXml as broken } from "../xml/unreadableUpstreamXml.ts";
import { decodeUrlEncodedKey } from "./decodeUrlEncodedKey.ts";
import { decodeXmlText } from "./decodeXmlText.ts";

/** The character data of one element: `[start, end)` of the document string, and the text as written. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
  readonly raw: string;
}

export interface ListingEntry {
  /** The object key (XML-decoded, and URL-decoded under EncodingType=url); undefined if it does not decode. */
  readonly key: string | undefined;
  /** `<VersionId>` of a version listing entry. */
  readonly versionId: string | undefined;
  /** The stored ETag as S3 lists it (quotes included). */
  readonly etag: string | undefined;
  readonly etagSpan: TextSpan | undefined;
  /** The stored size in bytes. */
  readonly size: number | undefined;
  readonly sizeSpan: TextSpan | undefined;
}

const ENTRY_TAG = { ListBucketResult: "Contents", ListVersionsResult: "Version" } as const;
export type ListingRoot = keyof typeof ENTRY_TAG;

export interface Listing {
  readonly root: ListingRoot;
  /** `<EncodingType>url</EncodingType>`: keys are URL-encoded. */
  readonly urlEncoded: boolean;
  readonly entries: readonly ListingEntry[];
}

// Namespace prefixes are kept and keys left as written: the parsed keys must equal the scanned raw ones.
const parser = s3XmlParser({
  removeNSPrefix: false,
  processEntities: false,
  trimValues: false,
  arrays: ["ListBucketResult.Contents", "ListVersionsResult.Version"],
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isRoot = (name: string): name is ListingRoot => Object.hasOwn(ENTRY_TAG, name);
const DECIMAL = /^\s*([0-9]{1,16})\s*$/;
const FIELD = /<(Key|VersionId|ETag|Size)>([^<]*)<\/\1>/g;

interface ScannedEntry {
  rawKey: string | undefined;
  fields: Map<string, TextSpan>;
}

function scanEntries(xml: string, tag: string): ScannedEntry[] {
  const out: ScannedEntry[] = [];
  const open = `<${tag}>`;
  const entry = new RegExp(`${open}([\\s\\S]*?)</${tag}>`, "g");
  for (const m of xml.matchAll(entry)) {
    const innerStart = m.index + open.length;
    const fields = new Map<string, TextSpan>();
    for (const f of (m[1] ?? "").matchAll(FIELD)) {
      const name = f[1] ?? "";
      const raw = f[2] ?? "";
      if (fields.has(name)) throw broken(`a listing entry with two ${name} elements`);
      const start = innerStart + f.index + name.length + 2;
      fields.set(name, { start, end: start + raw.length, raw });
    }
    out.push({ rawKey: fields.get("Key")?.raw, fields });
  }
  return out;
}

function parsedKeys(body: unknown, tag: string): (string | undefined)[] {
  if (!isRecord(body)) return [];
  const list = body[tag];
  if (!Array.isArray(list)) return [];
  return (list as unknown[]).map((e) => (isRecord(e) && typeof e["Key"] === "string" ? e["Key"] : undefined));
}

function toEntry(scanned: ScannedEntry, urlEncoded: boolean): ListingEntry {
  const { fields } = scanned;
  const keyText = scanned.rawKey === undefined ? undefined : decodeXmlText(scanned.rawKey);
  const key = keyText === undefined || !urlEncoded ? keyText : decodeUrlEncodedKey(keyText);
  const versionRaw = fields.get("VersionId")?.raw;
  const etagSpan = fields.get("ETag");
  const sizeSpan = fields.get("Size");
  const sizeMatch = sizeSpan === undefined ? null : DECIMAL.exec(sizeSpan.raw);
  return {
    key,
    versionId: versionRaw === undefined ? undefined : decodeXmlText(versionRaw),
    etag: etagSpan === undefined ? undefined : decodeXmlText(etagSpan.raw),
    etagSpan,
    size: sizeMatch ? Number(sizeMatch[1]) : undefined,
    sizeSpan: sizeMatch ? sizeSpan : undefined,
  };
}

/** Reads a listing document; throws ProxyUpstreamFailed for anything that is not one the proxy can rewrite. */
export function readListing(xml: string): Listing {
  checkUpstreamXml(xml, "a listing");
  const doc = parser.parse(xml) as unknown;
  const names = isRecord(doc) ? Object.keys(doc) : [];
  const root = names[0];
  if (!isRecord(doc) || names.length !== 1 || root === undefined || !isRoot(root)) {
    throw broken("a document other than a listing");
  }
  const body = doc[root];
  const tag = ENTRY_TAG[root];
  const scanned = scanEntries(xml, tag);
  const keys = parsedKeys(body, tag);
  if (keys.length !== scanned.length || keys.some((k, i) => k !== scanned[i]?.rawKey)) {
    throw broken("a listing laid out in a way");
  }
  const encoding = isRecord(body) ? body["EncodingType"] : undefined;
  const urlEncoded = typeof encoding === "string" && encoding.trim() === "url";
  return { root, urlEncoded, entries: scanned.map((s) => toEntry(s, urlEncoded)) };
}
