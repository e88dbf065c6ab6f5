/**
 * The verifier's SigV4 canonical request, computed from the request exactly as the client sent it
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "Task 1"):
 *
 *   <Method>\n<CanonicalURI>\n<CanonicalQueryString>\n<CanonicalHeaders>\n<SignedHeaders>\n<HashedPayload>
 *
 * - CanonicalURI: canonicalPath.ts — the path decoded once and encoded once, which for an SDK-encoded path is
 *   the path exactly as sent (no double encoding, no dot-segment or `//` normalisation).
 * - CanonicalQueryString: every parameter decoded (`+` is a space, as S3 reads queries), re-encoded with
 *   uriEncode.ts, sorted by encoded name then encoded value, `name=value` joined with `&`; `?acl` is `acl=`.
 *   Presigned requests leave out X-Amz-Signature.
 * - CanonicalHeaders: for each name in the client's SignedHeaders, in the client's order, `name:value\n` where
 *   value is every value the client sent for that name, each trimmed with runs of spaces/tabs collapsed to one
 *   space, joined with ",".
 *
 * Written independently of smithy (which re-signs upstream requests) so tests can check one against the other.
 */
import { createHash } from "node:crypto";
import type { RawHeaders } from "../http/hopByHop.ts";
import { splitRawQuery } from "./rawQuery.ts";
import { uriEncode } from "./uriEncode.ts";

export const ALGORITHM = "AWS4-HMAC-SHA256";

export function canonicalQuery(rawQuery: string, options: { dropSignature: boolean }): string {
  const pairs: [string, string][] = [];
  for (const { name, value } of splitRawQuery(rawQuery)) {
    if (options.dropSignature && name.toLowerCase() === "x-amz-signature") continue;
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  // After encoding both are ASCII, so code-unit order is byte order.
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

const trimAll = (value: string): string => value.trim().replace(/[ \t]+/g, " ");

export function canonicalHeaders(raw: RawHeaders, signedHeaders: readonly string[]): string {
  const values = new Map<string, string[]>(signedHeaders.map((name) => [name, []]));
  for (let i = 0; i + 1 < raw.length; i += 2)
    values.get((raw[i] ?? "").toLowerCase())?.push(trimAll(raw[i + 1] ?? ""));
  return signedHeaders.map((name) => `${name}:${(values.get(name) ?? []).join(",")}\n`).join("");
}

export interface CanonicalRequestParts {
  method: string;
  /** The CanonicalURI (canonicalPath.ts), not the raw path. */
  path: string;
  query: string;
  headers: string;
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function canonicalRequest(p: CanonicalRequestParts): string {
  return [p.method, p.path, p.query, p.headers, p.signedHeaders.join(";"), p.payloadHash].join("\n");
}

export function stringToSign(timestamp: string, scope: string, canonical: string): string {
  const hash = createHash("sha256").update(canonical, "utf8").digest("hex");
  return `${ALGORITHM}\n${timestamp}\n${scope}\n${hash}`;
}
