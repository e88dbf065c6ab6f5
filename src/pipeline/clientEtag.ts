/**
 * The ETag a client sees for an object stored through the proxy. S3's ETag of a single-part upload is the MD5 of
 * the stored bytes, which for an encrypted object is the ciphertext's: clients that compare it with the MD5 of
 * what they sent or received (rclone, s3cmd) would report every transfer as corrupted. So:
 *
 * - the envelope records the plaintext MD5 (sealed, docs/FORMAT.md §2.1) when the writer knew it before the
 *   body (the client sent Content-MD5): the client gets `"<md5 of plaintext>"`, exactly what S3 would show;
 * - otherwise the proxy cannot know it when the metadata goes out (it is fixed before the body is streamed),
 *   and it answers with the upstream ETag marked as "not an MD5 of the content" the way S3 marks multipart ETags,
 *   `"<hex>-1"`: MD5-checking clients skip such ETags (s3cmd S3.py send_file, rclone's multipart rule) instead
 *   of failing on a ciphertext digest. Upstream ETags that already carry a `-N` (multipart) pass unchanged;
 * - objects without an envelope (legacy plaintext) keep their ETag.
 *
 * ETags are opaque validators to everyone else (RFC 9110 §8.8.3); conditional requests naming a client-visible
 * ETag are translated by conditionalRequest.ts.
 */
import { openPlaintextMd5, type Envelope, type ObjectKeys } from "../crypto/index.ts";

/** `"<hex>"` → `"<hex>-1"`; a value that already has a part count (or is not a quoted token) is kept. */
export function nonMd5Etag(upstream: string): string {
  const m = /^"([0-9A-Za-z]+)"$/.exec(upstream);
  return m ? `"${m[1]}-1"` : upstream;
}

/** The quoted hex ETag S3 gives an object whose single-part body has this MD5. */
export function md5Etag(md5: Uint8Array): string {
  return `"${Buffer.from(md5).toString("hex")}"`;
}

/**
 * The client-visible ETag of an encrypted object, from its upstream ETag and its opened envelope. Throws
 * DecryptAuthFailed if a recorded MD5 fails authentication (tampered metadata): never a made-up validator.
 */
export function encryptedObjectEtag(upstream: string, envelope: Envelope, keys: ObjectKeys): string {
  if (envelope.sealedMd5 !== undefined) return md5Etag(openPlaintextMd5(keys, envelope.sealedMd5));
  return nonMd5Etag(upstream);
}
