/**
 * The PutObject that replaces a Constellation object with its format v1 version, in place: what the stored
 * object had (HeadObject) carried over — user metadata minus `constellation-dek`, Content-Type/-Encoding/
 * -Disposition/-Language, Cache-Control, Expires, storage class, website redirect, SSE-KMS settings, object lock,
 * tags — plus the new envelope, and `If-Match: <stored ETag>` so an object overwritten since it was read is not
 * clobbered (S3 conditional writes, https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 * The ETag goes bare: S3 takes either form, Ceph radosgw compares a PUT's If-Match with the bare ETag and fails a
 * quoted one that matches (src/pipeline/conditionalRequest.ts). Not carried: ACL grants (a PUT resets them to
 * the bucket's default) and checksums of the old bytes. Pure.
 */
import type { HeadObjectCommandOutput, PutObjectCommandInput } from "@aws-sdk/client-s3";
import { metadataBytes, S3_USER_METADATA_LIMIT } from "../crypto/index.ts";
import { CONSTELLATION_DEK_META } from "../legacy/index.ts";
import { ToolError } from "../tools/ToolError.ts";

const META_PREFIX = "x-amz-meta-";

export interface MigrationPutRequest {
  readonly bucket: string;
  readonly key: string;
  readonly head: HeadObjectCommandOutput;
  /** The stored ETag the object was read under. */
  readonly etag: string;
  /** The object's tags as `k=v&k2=v2` (URL-encoded), "" for none. */
  readonly tagging: string;
  /** New stored bytes and their envelope (full x-amz-meta-s3proxy-* names). */
  readonly body: Buffer;
  readonly envelope: Readonly<Record<string, string>>;
}

/** User metadata as S3 returned it (names without x-amz-meta-), minus the Constellation entry, plus the envelope. */
export function migratedMetadata(
  metadata: Readonly<Record<string, string>> | undefined,
  envelope: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const dropped = CONSTELLATION_DEK_META.slice(META_PREFIX.length);
  for (const [name, value] of Object.entries(metadata ?? {})) {
    if (name.toLowerCase() !== dropped) out[name] = value;
  }
  for (const [name, value] of Object.entries(envelope)) out[name.slice(META_PREFIX.length)] = value;
  const full = Object.fromEntries(Object.entries(out).map(([n, v]) => [`${META_PREFIX}${n}`, v]));
  if (metadataBytes(full) > S3_USER_METADATA_LIMIT) {
    throw new ToolError(
      "MetadataTooLarge",
      `the object's metadata and the s3proxy envelope need ${metadataBytes(full)} bytes, more than S3's ${S3_USER_METADATA_LIMIT}`,
    );
  }
  return out;
}

export function migrationPutInput(r: MigrationPutRequest): PutObjectCommandInput {
  const h = r.head;
  const locked = h.ObjectLockMode !== undefined || h.ObjectLockLegalHoldStatus !== undefined;
  const kms = h.ServerSideEncryption === "aws:kms" || h.ServerSideEncryption === "aws:kms:dsse";
  return {
    Bucket: r.bucket,
    Key: r.key,
    Body: r.body,
    ContentLength: r.body.byteLength,
    IfMatch: r.etag.replace(/"/g, ""),
    Metadata: migratedMetadata(h.Metadata, r.envelope),
    ...(h.ContentType === undefined ? {} : { ContentType: h.ContentType }),
    ...(h.ContentEncoding === undefined ? {} : { ContentEncoding: h.ContentEncoding }),
    ...(h.ContentDisposition === undefined ? {} : { ContentDisposition: h.ContentDisposition }),
    ...(h.ContentLanguage === undefined ? {} : { ContentLanguage: h.ContentLanguage }),
    ...(h.CacheControl === undefined ? {} : { CacheControl: h.CacheControl }),
    ...(h.Expires === undefined ? {} : { Expires: h.Expires }),
    ...(h.StorageClass === undefined || h.StorageClass === "STANDARD"
      ? {}
      : { StorageClass: h.StorageClass }),
    ...(h.WebsiteRedirectLocation === undefined
      ? {}
      : { WebsiteRedirectLocation: h.WebsiteRedirectLocation }),
    ...(kms ? { ServerSideEncryption: h.ServerSideEncryption } : {}),
    ...(kms && h.SSEKMSKeyId !== undefined ? { SSEKMSKeyId: h.SSEKMSKeyId } : {}),
    ...(kms && h.BucketKeyEnabled !== undefined ? { BucketKeyEnabled: h.BucketKeyEnabled } : {}),
    ...(h.ObjectLockMode === undefined ? {} : { ObjectLockMode: h.ObjectLockMode }),
    ...(h.ObjectLockRetainUntilDate === undefined
      ? {}
      : { ObjectLockRetainUntilDate: h.ObjectLockRetainUntilDate }),
    ...(h.ObjectLockLegalHoldStatus === undefined
      ? {}
      : { ObjectLockLegalHoldStatus: h.ObjectLockLegalHoldStatus }),
    ...(r.tagging === "" ? {} : { Tagging: r.tagging }),
    // S3 requires an integrity checksum on a PUT with object lock settings (API_PutObject, "Content-MD5").
    ...(locked ? { ChecksumAlgorithm: "CRC32" } : {}),
  };
}
