/**
 * Splits a raw query string into ordered, decoded [name, value] pairs. Unlike a map, the list keeps
 * duplicates (which the operation classifier refuses as ambiguous) and order (which the re-signer must not
 * rely on, but logs should show as sent). A parameter without `=` (`?uploads`, `?acl`: S3 sub-resources,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAPI.html) gets the value "" exactly like `?uploads=`;
 * the raw query stays available for anything that must tell the two apart. Empty `&&` segments are skipped,
 * as URLSearchParams does.
 *
 * `+` decodes to a space in both names and values (application/x-www-form-urlencoded), which is how S3
 * reads query parameters such as `prefix`; SDKs send `%2B` for a literal plus and `%20` for a space.
 */
import { percentDecode } from "./percentDecode.ts";

export type QueryParam = readonly [name: string, value: string];

export function parseQueryString(raw: string): QueryParam[] {
  const out: QueryParam[] = [];
  if (raw.length === 0) return out;
  for (const part of raw.split("&")) {
    if (part.length === 0) continue;
    const eq = part.indexOf("=");
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    out.push([percentDecode(name, { plusAsSpace: true }), percentDecode(value, { plusAsSpace: true })]);
  }
  return out;
}
