/**
 * Which of the client's headers a re-signed upstream request carries, and which of those the proxy signs.
 *
 * Dropped: hop-by-hop headers (RFC 9110 §7.6.1, incl. `transfer-encoding`, which AWS CLI v2 even lists in its
 * SignedHeaders, and anything named in `Connection`), `proxy-*`, `expect` (the proxy runs its own upstream
 * exchange), and everything bound to the client's signature that the proxy replaces with its own:
 * `host`, `authorization`, `x-amz-date`, `x-amz-security-token`, `x-amz-content-sha256`, stray SigV4 query
 * names sent as headers (`x-amz-signature`, …) and `date`. `date` goes because x-amz-date supersedes it for
 * SigV4 and smithy's signer deletes it anyway (its GENERATED_HEADERS), so it could only travel unsigned.
 *
 * Forwarded unsigned: what smithy's signer never signs because intermediaries legitimately rewrite it
 * (`user-agent`, `x-amzn-trace-id`, `referer`, `from`, `pragma`, `max-forwards`) and `sec-*` fetch metadata.
 * Unsigned headers are allowed: S3 only requires `host`, `x-amz-content-sha256`, `x-amz-date` and every
 * `x-amz-*` header present to be signed.
 *
 * Signed: everything else, including `content-length`, `content-md5`, `content-type`, `range`, `if-*` and
 * `cache-control` (object metadata on PUT, although smithy would leave it unsigned). S3's rule
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "CanonicalHeaders"): host,
 * content-type when present and all x-amz-* headers are required; "in order to prevent data tampering, you
 * should consider including all the headers in the signature calculation". The proxy is the last hop that
 * changes the request and re-signing is its last step (after the body transform has fixed Content-Length), so
 * signing all end-to-end headers costs nothing and binds the body length and metadata to the signature, as
 * s3cmd, rclone and the v3 SDK do. The caller must therefore set the final `content-length` (ciphertext size)
 * before re-signing, and must not add signed headers afterwards.
 *
 * Repeated headers are merged into one line, values joined with "," — exactly the form SigV4 canonicalises
 * them to, so what is sent is what was signed.
 */
import { ALWAYS_UNSIGNABLE_HEADERS } from "@smithy/signature-v4";
import { stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";

const REPLACED: ReadonlySet<string> = new Set([
  "host",
  "authorization",
  "date",
  "expect",
  "x-amz-date",
  "x-amz-security-token",
  "x-amz-content-sha256",
  "x-amz-algorithm",
  "x-amz-credential",
  "x-amz-expires",
  "x-amz-signature",
  "x-amz-signedheaders",
]);

/** Signed although smithy leaves it unsigned by default. */
const SIGN_ANYWAY: ReadonlySet<string> = new Set(["cache-control"]);

export type HeaderPair = readonly [name: string, value: string];

export interface UpstreamHeaders {
  /** One entry per header name, in the client's order and spelling; repeated values joined with ",". */
  readonly signed: HeaderPair[];
  /** Forwarded as they are, not signed. */
  readonly unsigned: RawHeaders;
}

function isUnsigned(lower: string): boolean {
  if (SIGN_ANYWAY.has(lower)) return false;
  return Object.hasOwn(ALWAYS_UNSIGNABLE_HEADERS, lower) || lower.startsWith("sec-");
}

export function partitionUpstreamHeaders(raw: RawHeaders): UpstreamHeaders {
  const kept = stripHopByHop(raw, REPLACED);
  const signed = new Map<string, { name: string; values: string[] }>();
  const unsigned: RawHeaders = [];
  for (let i = 0; i + 1 < kept.length; i += 2) {
    const name = kept[i] ?? "";
    const value = (kept[i + 1] ?? "").trim();
    const lower = name.toLowerCase();
    if (lower.startsWith("proxy-")) continue;
    if (isUnsigned(lower)) {
      unsigned.push(name, value);
      continue;
    }
    const entry = signed.get(lower);
    if (entry) entry.values.push(value);
    else signed.set(lower, { name, values: [value] });
  }
  return {
    signed: [...signed.values()].map(({ name, values }) => [name, values.join(",")] as const),
    unsigned,
  };
}
