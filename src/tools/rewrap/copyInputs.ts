/**
 * The requests that copy an object onto itself with new metadata (pure), from what HeadObject returned.
 * `x-amz-metadata-directive: REPLACE` replaces all of the object's metadata with what the request carries
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html), so everything the object has must be
 * sent again: the user metadata (rewrappedMetadata.ts), the content headers, the storage class, server-side
 * encryption with its KMS key, website redirect and Object Lock settings. Tags are copied by S3 itself
 * (`x-amz-tagging-directive` defaults to COPY); a multipart upload cannot copy them, so they are passed along.
 *
 * Conditions, so that a concurrent writer is never overwritten with the old content:
 * - `x-amz-copy-source-if-match: <ETag>` — S3 copies only if the source is still the object we read;
 * - `If-Match: <ETag>` on the write (S3 conditional writes, https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html),
 *   which also closes the gap between a multipart copy's last part and its completion where the store supports it.
 * The copy source names the key without a version: with a version id a copy of a superseded version would
 * still match its ETag and put the old content back on top.
 */
import type {
  CompleteMultipartUploadCommandInput,
  CopyObjectCommandInput,
  CreateMultipartUploadCommandInput,
  HeadObjectCommandOutput,
  Tag,
  UploadPartCopyCommandInput,
} from "@aws-sdk/client-s3";
import { uriEncode } from "../../sigv4/uriEncode.ts";

/** `x-amz-copy-source`: bucket and URL-encoded key (the API takes it encoded; `/` may stay). */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${uriEncode(key, false)}`;
}

/** The object's headers that REPLACE would otherwise drop, as the SDK names them. */
export function preservedHeaders(head: HeadObjectCommandOutput) {
  const kms = head.ServerSideEncryption?.startsWith("aws:kms") === true;
  return {
    ...(head.ContentType !== undefined && { ContentType: head.ContentType }),
    ...(head.ContentEncoding !== undefined && { ContentEncoding: head.ContentEncoding }),
    ...(head.ContentDisposition !== undefined && { ContentDisposition: head.ContentDisposition }),
    ...(head.ContentLanguage !== undefined && { ContentLanguage: head.ContentLanguage }),
    ...(head.CacheControl !== undefined && { CacheControl: head.CacheControl }),
    ...(head.Expires !== undefined && { Expires: head.Expires }),
    ...(head.WebsiteRedirectLocation !== undefined && {
      WebsiteRedirectLocation: head.WebsiteRedirectLocation,
    }),
    ...(head.StorageClass !== undefined && { StorageClass: head.StorageClass }),
    ...(head.ServerSideEncryption !== undefined && { ServerSideEncryption: head.ServerSideEncryption }),
    ...(kms && head.SSEKMSKeyId !== undefined && { SSEKMSKeyId: head.SSEKMSKeyId }),
    ...(kms && head.BucketKeyEnabled !== undefined && { BucketKeyEnabled: head.BucketKeyEnabled }),
    ...(head.ObjectLockMode !== undefined && { ObjectLockMode: head.ObjectLockMode }),
    ...(head.ObjectLockRetainUntilDate !== undefined && {
      ObjectLockRetainUntilDate: head.ObjectLockRetainUntilDate,
    }),
    ...(head.ObjectLockLegalHoldStatus !== undefined && {
      ObjectLockLegalHoldStatus: head.ObjectLockLegalHoldStatus,
    }),
  };
}

export interface CopyTarget {
  readonly bucket: string;
  readonly key: string;
  /** The ETag HeadObject returned: the copy happens only if the object still has it. */
  readonly etag: string;
  readonly metadata: Record<string, string>;
  /** Send `If-Match` on the write as well (S3 conditional writes). */
  readonly conditionalWrite: boolean;
}

export function copyObjectInput(t: CopyTarget, head: HeadObjectCommandOutput): CopyObjectCommandInput {
  return {
    Bucket: t.bucket,
    Key: t.key,
    CopySource: copySource(t.bucket, t.key),
    CopySourceIfMatch: t.etag,
    ...(t.conditionalWrite && { IfMatch: t.etag }),
    MetadataDirective: "REPLACE",
    TaggingDirective: "COPY",
    Metadata: t.metadata,
    ...preservedHeaders(head),
  };
}

/** `x-amz-tagging` of CreateMultipartUpload: the tag set as a URL query string. */
export function taggingHeader(tags: readonly Tag[]): string | undefined {
  if (tags.length === 0) return undefined;
  return tags.map((t) => `${encodeURIComponent(t.Key ?? "")}=${encodeURIComponent(t.Value ?? "")}`).join("&");
}

export function createUploadInput(
  t: CopyTarget,
  head: HeadObjectCommandOutput,
  tags: readonly Tag[],
): CreateMultipartUploadCommandInput {
  const tagging = taggingHeader(tags);
  return {
    Bucket: t.bucket,
    Key: t.key,
    Metadata: t.metadata,
    ...(tagging !== undefined && { Tagging: tagging }),
    ...preservedHeaders(head),
  };
}

export function uploadPartCopyInput(
  t: CopyTarget,
  uploadId: string,
  part: number,
  start: number,
  end: number,
): UploadPartCopyCommandInput {
  return {
    Bucket: t.bucket,
    Key: t.key,
    UploadId: uploadId,
    PartNumber: part,
    CopySource: copySource(t.bucket, t.key),
    CopySourceIfMatch: t.etag,
    CopySourceRange: `bytes=${start}-${end - 1}`,
  };
}

export function completeUploadInput(
  t: CopyTarget,
  uploadId: string,
  parts: readonly { PartNumber: number; ETag: string }[],
): CompleteMultipartUploadCommandInput {
  return {
    Bucket: t.bucket,
    Key: t.key,
    UploadId: uploadId,
    MultipartUpload: { Parts: [...parts] },
    ...(t.conditionalWrite && { IfMatch: t.etag }),
  };
}
