/**
 * The client's request headers for an upstream request that the proxy re-signs and whose body is its own
 * (ciphertext, a document it wrote, or none): everything that describes the client's body or signature goes,
 * since none of it holds for what is sent. That is the length and MD5, the framing (transfer-encoding, expect,
 * aws-chunked's x-amz-decoded-content-length and x-amz-trailer), the flexible checksums
 * (x-amz-sdk-checksum-algorithm and every x-amz-checksum-*: they describe the client's plaintext, and S3 would
 * compare them with the ciphertext or demand them again) and the client's SigV4 headers (the proxy signs anew).
 * Hop-by-hop headers go too (hopByHop.ts). Names are lower case.
 */
import { stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";

const BODY_AND_SIGNATURE: ReadonlySet<string> = new Set([
  "content-length",
  "content-md5",
  "transfer-encoding",
  "expect",
  "x-amz-sdk-checksum-algorithm",
  "x-amz-trailer",
  "x-amz-decoded-content-length",
  "authorization",
  "x-amz-date",
  "x-amz-content-sha256",
  "x-amz-security-token",
]);

const NONE: ReadonlySet<string> = new Set();

/** `raw` without the headers above and without any name in `alsoDrop`, in the client's order and spelling. */
export function withoutBodyHeaders(raw: RawHeaders, alsoDrop: ReadonlySet<string> = NONE): RawHeaders {
  const kept = stripHopByHop(raw, BODY_AND_SIGNATURE);
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < kept.length; i += 2) {
    const name = kept[i] ?? "";
    const lower = name.toLowerCase();
    if (lower.startsWith("x-amz-checksum-") || alsoDrop.has(lower)) continue;
    out.push(name, kept[i + 1] ?? "");
  }
  return out;
}
