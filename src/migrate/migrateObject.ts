/**
 * One object of `s3proxy migrate` (docs/LEGACY.md "Migration"), straight against S3:
 *
 *   HEAD ─► format v1 envelope? skip │ no Constellation marker? skip (plaintext, not ours to touch)
 *        ─► DEK unwrapped with the legacy KEKs (fails before any download) ─► size ≤ --legacy-max-size
 *        ─► GET pinned with If-Match to the HEAD's ETag ─► authenticated whole (AES-GCM-SIV)
 *        ─► [--dry-run stops here: the object would convert]
 *        ─► tags ─► re-encrypted as format v1 under the active key provider
 *        ─► PUT in place, If-Match: the same ETag (a concurrent overwrite fails with 412, not clobbered)
 *
 * The object is held in memory (its plaintext and new ciphertext) under the legacy reader's memory budget, so
 * concurrent workers never hold more than twice --legacy-max-size between them.
 */
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { readEnvelopeMetadata } from "../crypto/index.ts";
import type { KeyProvider } from "../keys/index.ts";
import {
  LegacyError,
  openConstellationBody,
  readConstellationEnvelope,
  unwrapConstellationDek,
  type LegacyKekUsed,
  type LegacyReader,
} from "../legacy/index.ts";
import { prefixedMetadata } from "../tools/s3StoredObject.ts";
import { s3Failure } from "../tools/s3Failure.ts";
import { ToolError } from "../tools/ToolError.ts";
import { migrationPutInput } from "./migrationPutInput.ts";
import { reencryptPlaintext } from "./reencryptPlaintext.ts";

export interface MigrateObjectContext {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly keys: KeyProvider;
  readonly legacy: LegacyReader;
  readonly dryRun: boolean;
}

export type MigrationOutcome =
  | { readonly kind: "converted" | "would-convert"; readonly bytes: number; readonly kekUsed: LegacyKekUsed }
  | { readonly kind: "already-v1" | "not-constellation" };

/** Workers wait for memory as long as it takes: large objects simply migrate one after another. */
const WAIT_FOR_MEMORY_MS = 2 ** 31 - 1;

function tagging(
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
): string {
  return (tags ?? [])
    .map((t) => `${encodeURIComponent(t.Key ?? "")}=${encodeURIComponent(t.Value ?? "")}`)
    .join("&");
}

export async function migrateObject(ctx: MigrateObjectContext, key: string): Promise<MigrationOutcome> {
  const { s3, bucket } = ctx;
  const name = `s3://${bucket}/${key}`;
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch((err: unknown) => {
    throw s3Failure("HeadObject", name, err);
  });
  const metadata = prefixedMetadata(head.Metadata);
  if (readEnvelopeMetadata(metadata) !== null) return { kind: "already-v1" };
  const envelope = readConstellationEnvelope(metadata);
  if (envelope === null) return { kind: "not-constellation" };
  const etag = head.ETag;
  const stored = head.ContentLength;
  if (etag === undefined || stored === undefined) {
    throw new ToolError("S3RequestFailed", `HeadObject ${name} answered without ETag or Content-Length`);
  }
  const { dek, kekUsed } = unwrapConstellationDek(envelope, ctx.legacy.keys);
  try {
    if (stored > ctx.legacy.maxObjectBytes) {
      throw new LegacyError(
        "LegacyTooLarge",
        `${name} is ${stored} bytes, more than --legacy-max-size (${ctx.legacy.maxObjectBytes})`,
      );
    }
    // The stored bytes become the plaintext in place; the new ciphertext is about as large again.
    const release = await ctx.legacy.memory.acquire(
      Math.min(2 * stored, 2 * ctx.legacy.maxObjectBytes),
      WAIT_FOR_MEMORY_MS,
    );
    try {
      const got = await s3
        .send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: etag }))
        .catch((err: unknown) => {
          throw s3Failure("GetObject", name, err);
        });
      const body = Buffer.from((await got.Body?.transformToByteArray()) ?? new Uint8Array());
      if (body.byteLength !== stored) {
        throw new ToolError("ObjectChanged", `GetObject ${name} sent ${body.byteLength} of ${stored} bytes`);
      }
      const plaintext = await openConstellationBody(body, dek);
      if (ctx.dryRun) return { kind: "would-convert", bytes: plaintext.byteLength, kekUsed };
      const tags = await s3
        .send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))
        .catch((err: unknown) => {
          throw s3Failure("GetObjectTagging", name, err);
        });
      const v1 = await reencryptPlaintext(ctx.keys, plaintext);
      body.fill(0);
      await s3
        .send(
          new PutObjectCommand(
            migrationPutInput({
              bucket,
              key,
              head,
              etag,
              tagging: tagging(tags.TagSet),
              body: v1.body,
              envelope: v1.envelope,
            }),
          ),
        )
        .catch((err: unknown) => {
          throw s3Failure("PutObject", name, err);
        });
      return { kind: "converted", bytes: plaintext.byteLength, kekUsed };
    } finally {
      release();
    }
  } finally {
    dek.fill(0);
  }
}
