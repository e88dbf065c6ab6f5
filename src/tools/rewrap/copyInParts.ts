/**
 * Copies a large object onto itself as a multipart upload (copyPlan.ts has why and along which boundaries):
 * CreateMultipartUpload with the new metadata, the content headers and the tags, one UploadPartCopy per part,
 * each conditional on the source's ETag (x-amz-copy-source-if-match), then CompleteMultipartUpload, conditional
 * on the ETag too where the store supports conditional writes (If-Match).
 *
 * Not every store checks the part copies' condition (radosgw 16.2 ignores it under any name), so before
 * completing, a HeadObject checks that the object still has the ETag it was read with: every part copy ran
 * after the first read and before that HEAD, and an overwritten object never gets its old ETag back (its
 * ciphertext is under a fresh DEK), so an unchanged ETag means every part came from the object that was read.
 * What remains is the moment between that HEAD and the completion, which If-Match closes where supported.
 *
 * Any failure aborts the upload, so no parts are left behind to be billed
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
  type Tag,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { ToolError } from "../ToolError.ts";
import type { PartRange } from "./copyPlan.ts";
import {
  completeUploadInput,
  createUploadInput,
  uploadPartCopyInput,
  type CopyTarget,
} from "./copyInputs.ts";
import { mapConcurrent } from "./mapConcurrent.ts";

export interface PartCopyResult {
  /** The completed object's ETag. */
  readonly etag: string | undefined;
  /** The new version, in a bucket with versions. */
  readonly versionId: string | undefined;
}

export async function copyInParts(
  s3: Pick<S3Client, "send">,
  target: CopyTarget,
  head: HeadObjectCommandOutput,
  ranges: readonly PartRange[],
  concurrency: number,
  tags: readonly Tag[],
): Promise<PartCopyResult> {
  const created = await s3.send(new CreateMultipartUploadCommand(createUploadInput(target, head, tags)));
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new Error("CreateMultipartUpload answered without an UploadId");
  try {
    const etags = new Map<number, string>();
    await mapConcurrent(ranges, concurrency, async (range) => {
      const out = await s3.send(
        new UploadPartCopyCommand(uploadPartCopyInput(target, uploadId, range.part, range.start, range.end)),
      );
      const etag = out.CopyPartResult?.ETag;
      if (etag === undefined)
        throw new Error(`UploadPartCopy of part ${range.part} answered without an ETag`);
      etags.set(range.part, etag);
    }).done;
    const parts = ranges.map((r) => ({ PartNumber: r.part, ETag: etags.get(r.part) ?? "" }));
    const now = await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: target.key }));
    if (now.ETag !== target.etag) {
      throw new ToolError("ObjectChanged", `the object changed during the part copies (ETag ${now.ETag})`);
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand(completeUploadInput(target, uploadId, parts)),
    );
    return { etag: done.ETag, versionId: done.VersionId };
  } catch (err) {
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId: uploadId }))
      .catch(() => undefined);
    throw err;
  }
}
