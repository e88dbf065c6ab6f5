/**
 * Request headers of the upstream multipart requests that carry no object data (CreateMultipartUpload,
 * CompleteMultipartUpload, AbortMultipartUpload, ListParts; UploadPart uses putUpstreamHeaders). The client's
 * end-to-end headers are kept (metadata, Content-Type, ACL, tagging, storage class, SSE, object lock,
 * conditional writes), minus what describes the client's body or signature, and minus what announces flexible
 * checksums: S3 would demand them on every part (CreateMultipartUpload's x-amz-checksum-algorithm /
 * x-amz-checksum-type) or compare them with the stored object, and the stored bytes are ciphertext the client
 * never checksummed. The proxy verifies the client's part checksums itself (UploadPart).
 */
import { stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";

const DROPPED: ReadonlySet<string> = new Set([
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

/**
 * Dropped from CompleteMultipartUpload too: the body is the proxy's own document, and x-amz-mp-object-size is the
 * plaintext size (checked by the proxy; S3 would compare it with the ciphertext size).
 */
const COMPLETE_DROPPED: ReadonlySet<string> = new Set([
  ...DROPPED,
  "content-encoding",
  "content-type",
  "x-amz-mp-object-size",
]);

function keep(raw: RawHeaders, drop: ReadonlySet<string>): RawHeaders {
  const kept = stripHopByHop(raw, drop);
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < kept.length; i += 2) {
    const name = kept[i] ?? "";
    if (name.toLowerCase().startsWith("x-amz-checksum-")) continue;
    out.push(name, kept[i + 1] ?? "");
  }
  return out;
}

/** CreateMultipartUpload: the client's headers plus the upload's envelope metadata; no body. */
export function createUploadHeaders(raw: RawHeaders, envelope: Readonly<Record<string, string>>): RawHeaders {
  const out = keep(raw, DROPPED);
  for (const [name, value] of Object.entries(envelope)) out.push(name, value);
  out.push("Content-Length", "0");
  return out;
}

/** CompleteMultipartUpload with the proxy's part list of `bodyLength` bytes. */
export function completeUploadHeaders(raw: RawHeaders, bodyLength: number): RawHeaders {
  const out = keep(raw, COMPLETE_DROPPED);
  out.push("Content-Type", "application/xml", "Content-Length", String(bodyLength));
  return out;
}

/** AbortMultipartUpload, ListParts: no body. */
export function noBodyUploadHeaders(raw: RawHeaders): RawHeaders {
  return keep(raw, new Set([...DROPPED, "content-encoding", "content-type"]));
}
