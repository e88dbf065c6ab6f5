/**
 * The client's response head for a ranged read of an encrypted object: the stored object's headers made
 * plaintext (clientResponseHeaders: no envelope, no ciphertext checksums, the client-visible ETag) plus what a
 * byte-range answer carries (RFC 9110 §14.4, §15.3.7): Content-Length of the slice, `Content-Range:
 * bytes s-e/<plaintext length>` on a 206, `Accept-Ranges: bytes` as S3 sends it, and for partNumber reads of
 * multipart objects `x-amz-mp-parts-count`. Whatever the upstream said about ranges or parts described the
 * ciphertext and is dropped.
 */
import { formatContentRange } from "../http/contentRange.ts";
import type { RawHeaders } from "../http/hopByHop.ts";
import type { ReadTarget } from "./readTarget.ts";
import { clientResponseHeaders } from "./s3StepHeaders.ts";

const REPLACED: ReadonlySet<string> = new Set(["accept-ranges", "content-range", "x-amz-mp-parts-count"]);

export function rangedResponseHeaders(
  raw: RawHeaders,
  target: ReadTarget,
  etag: string | undefined,
): RawHeaders {
  const base = clientResponseHeaders(raw, { length: target.end - target.start, etag });
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < base.length; i += 2) {
    const name = base[i] ?? "";
    if (!REPLACED.has(name.toLowerCase())) out.push(name, base[i + 1] ?? "");
  }
  out.push("Accept-Ranges", "bytes");
  if (target.partial) out.push("Content-Range", formatContentRange(target.start, target.end, target.total));
  if (target.partsCount !== undefined) out.push("x-amz-mp-parts-count", String(target.partsCount));
  return out;
}
