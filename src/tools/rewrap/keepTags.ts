/**
 * Object tags across the copy onto itself. S3 copies them (`x-amz-tagging-directive: COPY`, the default,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html) and a multipart copy gets them with
 * CreateMultipartUpload's `x-amz-tagging`; but some S3-compatible stores drop them when the metadata directive
 * is REPLACE (measured: radosgw 16.2 keeps none). So the tag set is read before the copy and checked after
 * it, and put back on the new object (its version, if the bucket has versions) when the copy lost it. Tags do
 * not change an object's ETag, so the copy conditions cannot protect them; the check after the copy can.
 */
import {
  GetObjectTaggingCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from "@aws-sdk/client-s3";

export function sameTags(a: readonly Tag[], b: readonly Tag[]): boolean {
  const text = (tags: readonly Tag[]) =>
    tags
      .map((t) => JSON.stringify([t.Key ?? "", t.Value ?? ""]))
      .sort()
      .join("\n");
  return text(a) === text(b);
}

export async function readTags(
  s3: Pick<S3Client, "send">,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<Tag[]> {
  const out = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return out.TagSet ?? [];
}

/** After the copy: puts `tags` back on the new object if the store did not carry them over. */
export async function restoreTagsIfLost(
  s3: Pick<S3Client, "send">,
  bucket: string,
  key: string,
  versionId: string | undefined,
  tags: readonly Tag[],
): Promise<void> {
  if (tags.length === 0) return;
  if (sameTags(await readTags(s3, bucket, key, versionId), tags)) return;
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: bucket,
      Key: key,
      VersionId: versionId,
      Tagging: { TagSet: [...tags] },
    }),
  );
}
