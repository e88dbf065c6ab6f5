/**
 * Query strings as the signing code needs them. Each parameter keeps its raw bytes, because a re-signed
 * request forwards the client's parameters exactly as sent (`?uploads` must not turn into `?uploads=`), and its
 * decoded name and value, because SigV4 signs the decoded value re-encoded in one canonical way. Decoding is
 * S3's: `+` is a space (src/s3/parseQueryString.ts; radosgw's get_v4_canonical_qs does the same), malformed
 * escapes are `InvalidURI`.
 *
 * The parameters SigV4 itself puts in a presigned URL
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html) are recognised so that the
 * client's can be dropped before the proxy signs with its own credentials. `X-Amz-Content-Sha256` is among them:
 * SDK v3 presigners hoist it into the URL, and after the proxy changes the body only the proxy may assert a hash.
 */
import { percentDecode } from "../s3/percentDecode.ts";

export interface RawQueryParam {
  /** The parameter as it appeared between `&`s, still percent-encoded. */
  readonly raw: string;
  readonly name: string;
  readonly value: string;
}

/** Lower-case names of SigV4's query-authentication parameters. */
export const QUERY_AUTH_PARAMS: ReadonlySet<string> = new Set([
  "x-amz-algorithm",
  "x-amz-credential",
  "x-amz-date",
  "x-amz-expires",
  "x-amz-signedheaders",
  "x-amz-signature",
  "x-amz-security-token",
  "x-amz-content-sha256",
]);

export function isQueryAuthParam(name: string): boolean {
  return QUERY_AUTH_PARAMS.has(name.toLowerCase());
}

/** Splits a raw query string (without the `?`); empty `&&` segments are skipped, as S3 and URLSearchParams do. */
export function splitRawQuery(query: string): RawQueryParam[] {
  const out: RawQueryParam[] = [];
  for (const raw of query.split("&")) {
    if (raw.length === 0) continue;
    const eq = raw.indexOf("=");
    const name = eq === -1 ? raw : raw.slice(0, eq);
    const value = eq === -1 ? "" : raw.slice(eq + 1);
    out.push({
      raw,
      name: percentDecode(name, { plusAsSpace: true }),
      value: percentDecode(value, { plusAsSpace: true }),
    });
  }
  return out;
}

export function joinRawQuery(params: readonly RawQueryParam[]): string {
  return params.map((p) => p.raw).join("&");
}
