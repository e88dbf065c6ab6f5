/**
 * Request headers of the upstream multipart requests that carry no object data (CreateMultipartUpload,
 * CompleteMultipartUpload, AbortMultipartUpload, ListParts; UploadPart uses putUpstreamHeaders). The client's
 * end-to-end headers are kept (metadata, Content-Type, ACL, tagging, storage class, SSE, object lock,
 * conditional writes), minus what describes the client's body or signature (withoutBodyHeaders.ts), which
 * includes what announces flexible checksums: S3 would demand them on every part (CreateMultipartUpload's
 * x-amz-checksum-algorithm / x-amz-checksum-type) or compare them with the stored object, and the stored bytes
 * are ciphertext the client never checksummed. The proxy verifies the client's part checksums itself
 * (UploadPart).
 */
import type { RawHeaders } from "../http/hopByHop.ts";
import { withoutBodyHeaders } from "../s3body/withoutBodyHeaders.ts";

/**
 * Dropped from CompleteMultipartUpload too: the body is the proxy's own document, and x-amz-mp-object-size is the
 * plaintext size (checked by the proxy; S3 would compare it with the ciphertext size).
 */
const COMPLETE_DROPPED: ReadonlySet<string> = new Set([
  "content-encoding",
  "content-type",
  "x-amz-mp-object-size",
]);
/** AbortMultipartUpload and ListParts send no body, so nothing may describe one. */
const NO_BODY_DROPPED: ReadonlySet<string> = new Set(["content-encoding", "content-type"]);

/** CreateMultipartUpload: the client's headers plus the upload's envelope metadata; no body. */
export function createUploadHeaders(raw: RawHeaders, envelope: Readonly<Record<string, string>>): RawHeaders {
  const out = withoutBodyHeaders(raw);
  for (const [name, value] of Object.entries(envelope)) out.push(name, value);
  out.push("Content-Length", "0");
  return out;
}

/** CompleteMultipartUpload with the proxy's part list of `bodyLength` bytes. */
export function completeUploadHeaders(raw: RawHeaders, bodyLength: number): RawHeaders {
  const out = withoutBodyHeaders(raw, COMPLETE_DROPPED);
  out.push("Content-Type", "application/xml", "Content-Length", String(bodyLength));
  return out;
}

/** AbortMultipartUpload, ListParts: no body. */
export function noBodyUploadHeaders(raw: RawHeaders): RawHeaders {
  return withoutBodyHeaders(raw, NO_BODY_DROPPED);
}
