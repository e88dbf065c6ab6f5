/**
 * SigV4's `UriEncode()`, written out here rather than borrowed from smithy so that verifying a client's
 * signature (verifyClientSignature.ts) canonicalises independently of the signer that re-signs upstream
 * requests: a shared bug would otherwise cancel out in our own tests. Definition
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "URI encode"): every UTF-8
 * byte except the unreserved characters A-Z a-z 0-9 - _ . ~ becomes `%XY` with upper-case hex; `/` is
 * encoded too, except in an object key name (the canonical path).
 */

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
const utf8 = new TextEncoder();

export function uriEncode(text: string, encodeSlash = true): string {
  let out = "";
  for (const ch of text) {
    if ((ch.length === 1 && UNRESERVED.test(ch)) || (ch === "/" && !encodeSlash)) {
      out += ch;
      continue;
    }
    for (const byte of utf8.encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
