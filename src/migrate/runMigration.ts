/**
 * `s3proxy migrate` over a bucket (and prefix): lists the current objects (ListObjectsV2, paged) and runs
 * migrateObject.ts on each with at most `concurrency` at once, reporting every object as it finishes. One
 * object's failure never stops the others; the summary counts them and the command exits non-zero.
 */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { errorCode } from "../tools/ToolError.ts";
import { s3Failure } from "../tools/s3Failure.ts";
import { migrateObject, type MigrateObjectContext, type MigrationOutcome } from "./migrateObject.ts";

export interface MigrationRun extends MigrateObjectContext {
  readonly prefix: string;
  readonly concurrency: number;
  /** Called once per object as it finishes. */
  readonly onObject?: (key: string, result: ObjectResult) => void;
}

export type ObjectResult =
  | { readonly ok: true; readonly outcome: MigrationOutcome }
  | { readonly ok: false; readonly code: string; readonly message: string };

export interface MigrationSummary {
  readonly listed: number;
  readonly converted: number;
  readonly wouldConvert: number;
  readonly alreadyV1: number;
  readonly notConstellation: number;
  /** Objects opened with the all-zero KEK (converted or, in a dry run, that would be). */
  readonly zeroKek: number;
  readonly failed: readonly { key: string; code: string; message: string }[];
}

async function* listKeys(run: MigrationRun): AsyncGenerator<string> {
  let token: string | undefined;
  do {
    const page = await run.s3
      .send(
        new ListObjectsV2Command({
          Bucket: run.bucket,
          ...(run.prefix === "" ? {} : { Prefix: run.prefix }),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      )
      .catch((err: unknown) => {
        throw s3Failure("ListObjectsV2", `s3://${run.bucket}/${run.prefix}`, err);
      });
    for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

export async function runMigration(run: MigrationRun): Promise<MigrationSummary> {
  const counts = { listed: 0, converted: 0, wouldConvert: 0, alreadyV1: 0, notConstellation: 0, zeroKek: 0 };
  const failed: { key: string; code: string; message: string }[] = [];
  const keys = listKeys(run);
  let listing: Promise<IteratorResult<string>> | undefined;
  // Workers share one listing; each takes the next key when it is free.
  const next = async (): Promise<IteratorResult<string>> => {
    while (listing !== undefined) await listing.catch(() => undefined);
    listing = keys.next();
    try {
      return await listing;
    } finally {
      listing = undefined;
    }
  };
  const worker = async (): Promise<void> => {
    for (let item = await next(); item.done !== true; item = await next()) {
      const key = item.value;
      counts.listed += 1;
      let result: ObjectResult;
      try {
        const outcome = await migrateObject(run, key);
        result = { ok: true, outcome };
        if (outcome.kind === "converted") counts.converted += 1;
        if (outcome.kind === "would-convert") counts.wouldConvert += 1;
        if (outcome.kind === "already-v1") counts.alreadyV1 += 1;
        if (outcome.kind === "not-constellation") counts.notConstellation += 1;
        if ("kekUsed" in outcome && outcome.kekUsed === "zero") counts.zeroKek += 1;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        result = { ok: false, code: errorCode(err), message };
        failed.push({ key, code: result.code, message });
      }
      run.onObject?.(key, result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, run.concurrency) }, worker));
  return { ...counts, failed };
}
