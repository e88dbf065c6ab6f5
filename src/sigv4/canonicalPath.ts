/**
 * SigV4's CanonicalURI for S3: the path decoded once and URI-encoded once, `/` kept
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html: "URI-encoded version of the
 * absolute path"; S3 encodes object keys once, never twice, and normalises neither `.`/`..` segments nor `//`).
 *
 * For a path an SDK produced (every byte outside A-Z a-z 0-9 - _ . ~ / escaped, upper-case hex) this is the path
 * exactly as sent. It differs only for non-canonical client encodings — `%7E` for `~`, lower-case hex, raw
 * `!*'()+=&;@` — and there the server's view wins: measured against radosgw 16.2 (the rig), a path like
 * `/b/tilde%7Eenc` or `/b/bang!raw` signed as sent is refused with SignatureDoesNotMatch, signed in this form
 * it is accepted; radosgw's get_v4_canonical_uri is aws4_uri_recode(request_uri), decode then encode. AWS SDKs
 * report the same S3 behaviour for raw `(`, `*`, `@` in keys. Decoding is src/s3/percentDecode.ts (a `+` in a
 * path is a literal plus; malformed escapes and ill-formed UTF-8 are InvalidURI).
 */
import { percentDecode } from "../s3/percentDecode.ts";
import { uriEncode } from "./uriEncode.ts";

export function canonicalPath(rawPath: string): string {
  if (rawPath === "") return "/";
  return uriEncode(percentDecode(rawPath, { plusAsSpace: false }), false);
}
