/**
 * Re-wraps one object's DEK under the active KEK (docs/KEYS.md "Rotation", docs/FORMAT.md §2 "Re-wrapping"):
 *
 * 1. HeadObject: the envelope, the length, the ETag (ListObjects carries no metadata);
 * 2. nothing to do for legacy objects, objects already under the active KEK, and noncurrent versions (S3
 *    versions are immutable: a copy would become a new current version);
 * 3. unwrap the DEK with the KEK its reference names and check it against the key commitment, so a corrupted
 *    `dek` field is reported rather than re-wrapped;
 * 4. wrap it under the active KEK; the new metadata differs from the old in `kek` and `dek` only;
 * 5. copy the object onto itself with that metadata, conditional on the ETag read in step 1 (copyInputs.ts):
 *    CopyObject, or for large multipart objects a multipart copy along their own part boundaries (copyPlan.ts),
 *    which needs K from record 0 (one ranged GET, authenticated with the DEK); the tags are checked after the
 *    copy and put back if the store lost them (keepTags.ts).
 *
 * If the object changed between step 1 and step 5 (412), it is read again once: a concurrent writer's new
 * object is then either already under the active KEK or re-wrapped in turn, and never overwritten by the old
 * one. With `dryRun` steps 4-5 are skipped; step 3 still runs, so a missing KEK shows up as a failure.
 * The plaintext DEK is zeroed as soon as it is wrapped; no key bytes reach any message.
 */
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  isCryptoError,
  openObjectKeys,
  partSegmentsFromFirstRecord,
  readEnvelopeMetadata,
  recordLength,
  type Envelope,
  type ObjectKeys,
} from "../../crypto/index.ts";
import { dekContextFor, type KeyProvider } from "../../keys/index.ts";
import { formatS3Url } from "../parseS3Url.ts";
import { isNotFound, s3Failure } from "../s3Failure.ts";
import { prefixedMetadata } from "../prefixedMetadata.ts";
import { errorCode, ToolError } from "../ToolError.ts";
import { copyInParts } from "./copyInParts.ts";
import { readTags, restoreTagsIfLost } from "./keepTags.ts";
import { copyObjectInput, type CopyTarget } from "./copyInputs.ts";
import { copyMethod, partCopyRanges, type PartRange } from "./copyPlan.ts";
import type { ListedObject, RewrapResult } from "./RewrapOutcome.ts";
import { rewrappedMetadata } from "./rewrappedMetadata.ts";

export interface RewrapContext {
  readonly s3: Pick<S3Client, "send">;
  readonly bucket: string;
  readonly keys: KeyProvider;
  /** `<scheme>:<id>` of the KEK that wraps new DEKs. */
  readonly activeKekRef: string;
  readonly dryRun: boolean;
  /** Multipart-layout objects with more stored bytes are copied in parts (at most 5 GiB). */
  readonly multipartThreshold: number;
  /** UploadPartCopy requests in flight per object. */
  readonly partConcurrency: number;
  /** Send If-Match on the write too (S3 conditional writes). */
  readonly conditionalWrite: boolean;
  /** Tests: runs after the object was read, before the copy of the first attempt. */
  readonly beforeCopy?: (object: ListedObject) => Promise<void>;
}

function versionOf(head: HeadObjectCommandOutput): string | undefined {
  return head.VersionId === undefined || head.VersionId === "null" ? undefined : head.VersionId;
}

async function headObject(
  ctx: RewrapContext,
  object: ListedObject,
): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await ctx.s3.send(
      new HeadObjectCommand({
        Bucket: ctx.bucket,
        Key: object.key,
        ...(object.isLatest ? {} : { VersionId: object.versionId }),
      }),
    );
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw s3Failure("HeadObject", formatS3Url(ctx.bucket, object.key, object.versionId), err);
  }
}

/** Record 0 of the object HeadObject described (pinned to its ETag): at most one record, 1 MiB + 32 bytes. */
async function readRecord0(ctx: RewrapContext, key: string, etag: string, length: number): Promise<Buffer> {
  try {
    const got = await ctx.s3.send(
      new GetObjectCommand({ Bucket: ctx.bucket, Key: key, IfMatch: etag, Range: `bytes=0-${length - 1}` }),
    );
    const body = got.Body;
    if (body === undefined) throw new ToolError("S3RequestFailed", "GetObject answered without a body");
    return Buffer.from(await body.transformToByteArray());
  } catch (err) {
    throw s3Failure("GetObject", formatS3Url(ctx.bucket, key), err);
  }
}

async function partRanges(
  ctx: RewrapContext,
  key: string,
  head: HeadObjectCommandOutput,
  keys: ObjectKeys,
): Promise<PartRange[] | undefined> {
  const c = head.ContentLength ?? 0;
  const e = keys.header.segmentExponent;
  if (copyMethod(c, keys.header.layout, ctx.multipartThreshold).kind === "copy") return undefined;
  const record0 = await readRecord0(ctx, key, head.ETag ?? "", recordLength(0, c, e));
  return partCopyRanges(c, e, partSegmentsFromFirstRecord(keys, record0, c));
}

interface PreparedCopy {
  readonly target: CopyTarget;
  /** The active KEK's reference as the provider wrote it. */
  readonly to: string;
  /** Multipart copy ranges; undefined: CopyObject. */
  readonly ranges: PartRange[] | undefined;
}

/** Steps 3-4: the DEK unwrapped, checked, wrapped anew (zeroed in any case), and how to copy. */
async function prepareCopy(
  ctx: RewrapContext,
  object: ListedObject,
  head: HeadObjectCommandOutput,
  envelope: Envelope,
): Promise<PreparedCopy | RewrapResult> {
  const from = envelope.kekRef;
  const context = dekContextFor(envelope.header);
  const dek = await ctx.keys.unwrapDek(from, envelope.wrappedDek, context);
  try {
    const keys = openObjectKeys(envelope.header, dek); // the key commitment: a wrong DEK is never re-wrapped
    let ranges: PartRange[] | undefined;
    try {
      ranges = await partRanges(ctx, object.key, head, keys);
    } catch (err) {
      if (err instanceof ToolError && err.code === "CopyRefused")
        return { kind: "refused", from, reason: err.message };
      throw err;
    }
    const parts = ranges === undefined ? {} : { parts: ranges.length };
    if (ctx.dryRun) return { kind: "rewrapped", dryRun: true, from, to: ctx.activeKekRef, ...parts };
    const wrapped = await ctx.keys.wrapDek(dek, context);
    const target: CopyTarget = {
      bucket: ctx.bucket,
      key: object.key,
      etag: head.ETag ?? "",
      metadata: rewrappedMetadata(head.Metadata ?? {}, wrapped),
      conditionalWrite: ctx.conditionalWrite,
    };
    return { target, to: wrapped.kekRef, ranges };
  } finally {
    dek.fill(0);
  }
}

/** An S3 request of step 5, its failure named after the operation. */
async function step<T>(operation: string, name: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    throw s3Failure(operation, name, err);
  }
}

async function attempt(ctx: RewrapContext, object: ListedObject, first: boolean): Promise<RewrapResult> {
  const head = await headObject(ctx, object);
  if (head === undefined) return { kind: "gone" };
  const envelope = readEnvelopeMetadata(prefixedMetadata(head.Metadata));
  if (envelope === null) return { kind: "legacy" };
  const from = envelope.kekRef;
  if (from === ctx.activeKekRef) return { kind: "current", kekRef: from };
  if (!object.isLatest) return { kind: "noncurrent", kekRef: from };
  if (head.ETag === undefined || head.ContentLength === undefined) {
    throw new ToolError("S3RequestFailed", "HeadObject answered without ETag or Content-Length");
  }
  const prepared = await prepareCopy(ctx, object, head, envelope);
  if ("kind" in prepared) return prepared;
  const { target, to, ranges } = prepared;
  const name = formatS3Url(ctx.bucket, object.key);
  const { s3, bucket } = ctx;
  try {
    const tags = await step("GetObjectTagging", name, () =>
      readTags(s3, bucket, object.key, versionOf(head)),
    );
    if (first && ctx.beforeCopy !== undefined) await ctx.beforeCopy(object);
    const versionId =
      ranges === undefined
        ? (
            await step("CopyObject", name, () =>
              s3.send(new CopyObjectCommand(copyObjectInput(target, head))),
            )
          ).VersionId
        : (
            await step("multipart copy of", name, () =>
              copyInParts(s3, target, head, ranges, ctx.partConcurrency, tags),
            )
          ).versionId;
    await step("PutObjectTagging", name, () => restoreTagsIfLost(s3, bucket, object.key, versionId, tags));
  } catch (err) {
    if (err instanceof ToolError && isNotFound(err.cause)) return { kind: "gone" };
    throw err;
  }
  return {
    kind: "rewrapped",
    dryRun: false,
    from,
    to,
    ...(ranges === undefined ? {} : { parts: ranges.length }),
  };
}

function failed(err: unknown): RewrapResult {
  const reason = err instanceof Error ? err.message : String(err);
  return { kind: "failed", code: isCryptoError(err) ? err.code : errorCode(err), reason };
}

export async function rewrapObject(ctx: RewrapContext, object: ListedObject): Promise<RewrapResult> {
  try {
    return await attempt(ctx, object, true);
  } catch (err) {
    if (!(err instanceof ToolError && err.code === "ObjectChanged")) return failed(err);
  }
  try {
    return await attempt(ctx, object, false);
  } catch (err) {
    return failed(err);
  }
}
