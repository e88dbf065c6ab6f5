/**
 * The ETags of an encrypted multipart upload as its client sees them (docs/FORMAT.md §15, README "ETags").
 *
 * S3 answers UploadPart with the MD5 of the part it stored and CompleteMultipartUpload with
 * `"<hex MD5 of the concatenated binary part MD5s>-<N>"`: the API reference says only that such an ETag "is not
 * an MD5 digest" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html), the formula is S3's
 * long-standing observed behaviour, which radosgw and MinIO copy. Clients check both against their plaintext:
 * s3cmd compares every part's ETag with its MD5 of the part and retries, then fails, on a mismatch; rclone and
 * others recompute the object's ETag from their part MD5s. The stored parts are ciphertext, so the proxy shows:
 *
 * - UploadPart: `"<hex MD5 of the plaintext part>"`, computed while the part streams (md5Etag in
 *   src/pipeline/clientEtag.ts);
 * - CompleteMultipartUpload: the client names each part by that ETag, or by the stored part's ETag (as ListParts
 *   shows it); upstream gets the stored ETags, and the client gets the multipart ETag of the ETags it named.
 */
import type { RequestedPart } from "./completeUploadXml.ts";
import type { StoredPart } from "./upstreamUploadXml.ts";

const MD5_HEX = /^[0-9a-fA-F]{32}$/;

/** True for the bare form of an MD5 ETag: 32 hex digits. */
export function isMd5Etag(bare: string): boolean {
  return MD5_HEX.test(bare);
}

/**
 * Whether a client's (bare) ETag can name this stored part: the stored ETag itself (a client that completes
 * with what ListParts showed), or an MD5 in the form UploadPart answered. Which plaintext MD5 the stored part
 * has cannot be checked (that would take decrypting the part), see checkCompleteParts.ts.
 */
export function namesStoredPart(clientEtag: string, stored: StoredPart): boolean {
  return clientEtag === stored.etag || isMd5Etag(clientEtag);
}

/** The part list for the upstream Complete: each requested part with the stored part's ETag. */
export function upstreamCompleteParts(
  requested: readonly RequestedPart[],
  stored: ReadonlyMap<number, StoredPart>,
): RequestedPart[] {
  return requested.map((p) => {
    const have = stored.get(p.partNumber);
    if (have === undefined) throw new Error(`part ${p.partNumber} was not checked against ListParts`);
    return { partNumber: p.partNumber, etag: have.etag };
  });
}
