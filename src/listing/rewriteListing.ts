/**
 * Writes a listing back with some entries' `<Size>` and `<ETag>` text replaced (readListing.ts found where they
 * are); every other byte stays as S3 sent it. An ETag is written in the form the original used: S3 escapes its
 * quotes as `&quot;`, other servers write them literally, and both parse to the same text.
 */
import type { ListingEntry, TextSpan } from "./readListing.ts";

export interface EntryChange {
  /** Size to show (the plaintext size). */
  readonly size?: number;
  /** ETag to show, with its quotes (the client-visible ETag). */
  readonly etag?: string;
}

interface Replacement {
  span: TextSpan;
  text: string;
}

/** `etag` as XML character data, its quotes escaped if the text it replaces escaped them. */
export function etagText(etag: string, original: string): string {
  const escaped = etag.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return original.includes("&quot;") || original.includes("&#34;")
    ? escaped.replace(/"/g, "&quot;")
    : escaped;
}

export function rewriteListing(
  xml: string,
  entries: readonly ListingEntry[],
  changes: readonly (EntryChange | undefined)[],
): string {
  const replacements: Replacement[] = [];
  entries.forEach((entry, i) => {
    const change = changes[i];
    if (change === undefined) return;
    if (change.size !== undefined && entry.sizeSpan !== undefined) {
      replacements.push({ span: entry.sizeSpan, text: String(change.size) });
    }
    if (change.etag !== undefined && entry.etagSpan !== undefined) {
      replacements.push({ span: entry.etagSpan, text: etagText(change.etag, entry.etagSpan.raw) });
    }
  });
  if (replacements.length === 0) return xml;
  replacements.sort((a, b) => a.span.start - b.span.start);
  let out = "";
  let at = 0;
  for (const r of replacements) {
    out += xml.slice(at, r.span.start) + r.text;
    at = r.span.end;
  }
  return out + xml.slice(at);
}
