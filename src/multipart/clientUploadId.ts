/**
 * The UploadId a client sees for an upload created through the proxy (docs/FORMAT.md §15):
 *
 *   <upstream UploadId> ".s3p." <base64url(upload token)>
 *
 * S3 defines UploadId as an opaque string without a length limit, and clients hand it back verbatim (query
 * parameter `uploadId`, which they percent-encode, and XML). Every character added is unreserved in URIs
 * (RFC 3986 §2.3), so no client encodes it differently. The token's alphabet (base64url, RFC 4648 §5) has no
 * `.`, so the last occurrence of the marker is the one the proxy added, whatever the upstream id contains
 * (AWS ids contain `.`, radosgw ids `~`).
 */
import { decodeBase64url, encodeBase64url } from "../crypto/index.ts";

export const UPLOAD_TOKEN_MARKER = ".s3p.";

export type SplitUploadId =
  /** No token: an id from ListMultipartUploads, or an upload started without the proxy. */
  { kind: "tokenless"; upstreamId: string } | { kind: "token"; upstreamId: string; token: Buffer };

export function joinClientUploadId(upstreamId: string, token: Uint8Array): string {
  return `${upstreamId}${UPLOAD_TOKEN_MARKER}${encodeBase64url(token)}`;
}

/** Splits a client UploadId; text after the marker that is not canonical base64url means there is no token. */
export function splitClientUploadId(clientId: string): SplitUploadId {
  const at = clientId.lastIndexOf(UPLOAD_TOKEN_MARKER);
  if (at > 0) {
    const token = decodeBase64url(clientId.slice(at + UPLOAD_TOKEN_MARKER.length));
    if (token !== undefined && token.length > 0) {
      return { kind: "token", upstreamId: clientId.slice(0, at), token };
    }
  }
  return { kind: "tokenless", upstreamId: clientId };
}
