/**
 * GetObjectAttributes answers (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html) as
 * the client should see them. S3 reports the stored object: for an encrypted one its ciphertext size, the ETag of
 * the ciphertext, checksums of the ciphertext (a client comparing them with its plaintext would report
 * corruption) and stored part sizes. The rewrite, done on the text like readListing.ts (every other byte kept):
 *
 * - `<ObjectSize>`: the plaintext size (docs/FORMAT.md §6);
 * - `<ETag>`: the client-visible ETag (src/pipeline/clientEtag.ts), quoted or not as S3 wrote it (S3 writes this
 *   one without quotes, unlike HEAD and listings);
 * - `<Checksum>`, and the `Checksum*` elements of every `<Part>`: removed, they are over ciphertext; the proxy has
 *   no plaintext checksum to offer, and S3 itself omits checksums an object does not have;
 * - `<Part><Size>`: the part's plaintext size (parts are encrypted independently, FORMAT §9); a stored part size
 *   that is not a ciphertext length (a part layout S3 made, e.g. by a server-side copy) is removed, not guessed.
 *
 * `drop` removes top-level `<ETag>`/`<ObjectSize>` elements the proxy requested for itself (it needs both to
 * identify the stored content) but the client did not ask for. Objects without an envelope are only subject to
 * `drop`.
 */
import { decodeXmlText } from "./decodeXmlText.ts";
import { etagText } from "./rewriteListing.ts";
import { checkUpstreamXml, unreadableUpstreamXml as broken } from "../xml/unreadableUpstreamXml.ts";

export type SelfRequestedAttribute = "ETag" | "ObjectSize";

export interface ObjectAttributes {
  /** The stored ETag (decoded text, as written: S3 writes it unquoted here). */
  readonly etag: string | undefined;
  readonly objectSize: number | undefined;
}

export interface AttributesRewrite {
  readonly drop: ReadonlySet<SelfRequestedAttribute>;
  /** Set for an encrypted object: what the client sees instead. */
  readonly encrypted?: {
    readonly objectSize: number;
    /** Client-visible ETag, with quotes. */
    readonly etag: string;
    /** Plaintext size of a stored part, or undefined if the stored size is not a part's ciphertext length. */
    readonly partSize: (stored: number) => number | undefined;
  };
}

const ROOT = "GetObjectAttributesResponse";
const ETAG = /<ETag>([^<]*)<\/ETag>/g;
const OBJECT_SIZE = /<ObjectSize>([^<]*)<\/ObjectSize>/g;
const DECIMAL = /^\s*([0-9]{1,16})\s*$/;

function checkDocument(xml: string): void {
  checkUpstreamXml(xml, "a GetObjectAttributes document");
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z][\w.:-]*)[\s>/]/.exec(xml)?.[1];
  if (root !== ROOT) throw broken("a document other than GetObjectAttributesResponse");
}

function single(xml: string, re: RegExp, name: string): string | undefined {
  const found = [...xml.matchAll(re)];
  if (found.length > 1) throw broken(`a GetObjectAttributes document with two ${name} elements`);
  return found[0]?.[1];
}

export function readObjectAttributes(xml: string): ObjectAttributes {
  checkDocument(xml);
  const etag = single(xml, ETAG, "ETag");
  const size = single(xml, OBJECT_SIZE, "ObjectSize");
  const sizeMatch = size === undefined ? null : DECIMAL.exec(size);
  if (size !== undefined && sizeMatch === null) throw broken("an ObjectSize");
  return {
    etag: etag === undefined ? undefined : decodeXmlText(etag),
    objectSize: sizeMatch ? Number(sizeMatch[1]) : undefined,
  };
}

function rewritePart(inner: string, partSize: (stored: number) => number | undefined): string {
  return inner
    .replace(/<(Checksum[A-Za-z0-9]*)>[^<]*<\/\1>|<Checksum[A-Za-z0-9]*\/>/g, "")
    .replace(/<Size>([^<]*)<\/Size>/g, (_m, stored: string) => {
      const m = DECIMAL.exec(stored);
      const plain = m ? partSize(Number(m[1])) : undefined;
      return plain === undefined ? "" : `<Size>${plain}</Size>`;
    });
}

/** The document as the client sees it (checkDocument must have passed: readObjectAttributes). */
export function rewriteObjectAttributes(xml: string, rewrite: AttributesRewrite): string {
  checkDocument(xml);
  const enc = rewrite.encrypted;
  let out = xml.replace(ETAG, (whole, raw: string) => {
    if (rewrite.drop.has("ETag")) return "";
    if (enc === undefined) return whole;
    const quoted = (decodeXmlText(raw) ?? raw).trim().startsWith('"');
    return `<ETag>${etagText(quoted ? enc.etag : enc.etag.replace(/"/g, ""), raw)}</ETag>`;
  });
  out = out.replace(OBJECT_SIZE, (whole) => {
    if (rewrite.drop.has("ObjectSize")) return "";
    return enc === undefined ? whole : `<ObjectSize>${enc.objectSize}</ObjectSize>`;
  });
  if (enc === undefined) return out;
  return out
    .replace(/<Checksum>[\s\S]*?<\/Checksum>|<Checksum\/>/g, "")
    .replace(
      /<Part>([\s\S]*?)<\/Part>/g,
      (_m, inner: string) => `<Part>${rewritePart(inner, enc.partSize)}</Part>`,
    );
}
