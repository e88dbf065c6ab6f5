/**
 * An object read straight from S3: one HeadObject for metadata, length and ETag, then ranged GetObjects of the
 * stored bytes, each pinned to what the HEAD saw with `If-Match: <ETag>` (and the HEAD's versionId, when the
 * bucket is versioned), so an overwrite between two requests fails with 412 (ObjectChanged) instead of
 * splicing two objects (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "If-Match").
 * Bodies stream: nothing is held in memory beyond what the consumer asks for.
 */
import { Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { formatS3Url, type S3ObjectAddress } from "./parseS3Url.ts";
import { prefixedMetadata } from "./prefixedMetadata.ts";
import { s3Failure } from "./s3Failure.ts";
import type { StoredObject } from "./StoredObject.ts";
import { ToolError } from "./ToolError.ts";

/** Also here for callers that read objects with it (src/migrate). */
export { prefixedMetadata };

export async function s3StoredObject(s3: S3Client, address: S3ObjectAddress): Promise<StoredObject> {
  const { bucket, key } = address;
  const name = formatS3Url(bucket, key, address.versionId);
  let head;
  try {
    head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: address.versionId }));
  } catch (err) {
    throw s3Failure("HeadObject", name, err);
  }
  const etag = head.ETag;
  const storedLength = head.ContentLength;
  if (etag === undefined || storedLength === undefined) {
    throw new ToolError("S3RequestFailed", `HeadObject ${name} answered without ETag or Content-Length`);
  }
  const versionId = address.versionId ?? head.VersionId;
  return {
    name,
    metadata: prefixedMetadata(head.Metadata),
    storedLength,
    etag,
    ...(versionId === undefined || versionId === "null" ? {} : { versionId }),
    ...(head.LastModified === undefined ? {} : { lastModified: head.LastModified }),
    ...(head.ContentType === undefined ? {} : { contentType: head.ContentType }),
    async read(start: number, end: number): Promise<Readable> {
      if (end <= start) return Readable.from([]);
      let got;
      try {
        got = await s3.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            VersionId: versionId === "null" ? undefined : versionId,
            IfMatch: etag,
            Range: `bytes=${start}-${end - 1}`,
          }),
        );
      } catch (err) {
        throw s3Failure("GetObject", name, err);
      }
      const body = got.Body as Readable | undefined;
      if (body === undefined || got.ContentLength !== end - start) {
        body?.destroy();
        throw new ToolError(
          "S3RequestFailed",
          `GetObject ${name} bytes ${start}-${end - 1} answered ${got.ContentLength} bytes`,
        );
      }
      return body;
    },
  };
}
