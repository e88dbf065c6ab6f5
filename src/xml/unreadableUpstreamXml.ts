/**
 * Refusing an XML answer from the upstream that the proxy cannot read (ProxyUpstreamFailed). The proxy reads S3's
 * documents with a parser and, where it rewrites them, edits element text in place, locating elements by their
 * tags: sound on markup because XML forbids a literal `<` in character data (XML 1.0 §2.4), but only in a
 * well-formed document without CDATA sections or comments (S3 emits neither). A DOCTYPE is never accepted.
 */
import { XMLValidator } from "fast-xml-parser";
import { ProxyError } from "../errors/ProxyError.ts";

/** `what` names the document, e.g. "a listing": "The upstream answered a listing the proxy cannot read." */
export function unreadableUpstreamXml(what: string): ProxyError {
  return new ProxyError("ProxyUpstreamFailed", `The upstream answered ${what} the proxy cannot read.`);
}

/** Throws unreadableUpstreamXml(what) unless `xml` is well-formed and has no DOCTYPE, CDATA section or comment. */
export function checkUpstreamXml(xml: string, what: string): void {
  if (/<!DOCTYPE|<!\[CDATA\[|<!--/i.test(xml) || XMLValidator.validate(xml) !== true) {
    throw unreadableUpstreamXml(what);
  }
}
