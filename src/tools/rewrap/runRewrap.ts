/**
 * A whole rewrap run (docs/KEYS.md "Re-wrapping"): lists the bucket (or prefix), re-wraps each object with at
 * most `concurrency` in flight (rewrapObject.ts), counts the outcomes, reports progress, and keeps the resume
 * file up to date (at most once a second, and at the end) with the position everything up to which is done.
 *
 * A run stops early when `signal` aborts (the command's SIGINT/SIGTERM): no new object is started, the ones in
 * flight finish, and the resume file is saved. A listing failure ends the run the same way, then is thrown.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { formatKekRef, type KeyProvider } from "../../keys/index.ts";
import { ListingWatermark } from "./ListingWatermark.ts";
import { listObjects } from "./listObjects.ts";
import { mapConcurrent } from "./mapConcurrent.ts";
import { prefetch } from "./prefetch.ts";
import {
  readResumeFile,
  resumeFrom,
  writeResumeFile,
  type ListingPosition,
  type ResumeState,
} from "./resumeFile.ts";
import type { ListedObject } from "./RewrapOutcome.ts";
import { rewrapObject, type RewrapContext } from "./rewrapObject.ts";
import type { RewrapProgress } from "./rewrapProgress.ts";
import { RewrapTally, type RewrapSummary } from "./RewrapTally.ts";

export interface RewrapRunOptions {
  readonly s3: Pick<S3Client, "send">;
  readonly keys: KeyProvider;
  readonly bucket: string;
  readonly prefix: string;
  readonly allVersions: boolean;
  readonly dryRun: boolean;
  readonly concurrency: number;
  readonly resumeFile: string | undefined;
  readonly multipartThreshold: number;
  readonly partConcurrency: number;
  readonly conditionalWrite: boolean;
  readonly progress: (tally: RewrapTally) => Promise<RewrapProgress>;
  readonly signal?: AbortSignal;
  /** Tests: see RewrapContext.beforeCopy. */
  readonly beforeCopy?: (object: ListedObject) => Promise<void>;
}

/** Listing objects read ahead of the workers (one ListObjects page). */
const LIST_AHEAD = 1000;
const SAVE_INTERVAL_MS = 1000;

function positionOf(object: ListedObject): ListingPosition {
  return object.versionId === undefined
    ? { key: object.key }
    : { key: object.key, versionId: object.versionId };
}

export async function runRewrap(o: RewrapRunOptions): Promise<RewrapSummary> {
  const activeKekRef = formatKekRef(o.keys.scheme, o.keys.activeKekId());
  const run = { bucket: o.bucket, prefix: o.prefix, allVersions: o.allVersions };
  const saved = o.resumeFile === undefined ? undefined : await readResumeFile(o.resumeFile);
  const state =
    o.resumeFile === undefined ? { ...run, complete: false } : resumeFrom(run, saved, o.resumeFile);
  const tally = new RewrapTally(o.bucket);
  const progress = await o.progress(tally);
  const summary = (interrupted: boolean): RewrapSummary =>
    tally.summary({ prefix: o.prefix, activeKekRef, dryRun: o.dryRun, interrupted });
  if (state.complete) {
    progress.note(`${o.resumeFile}: this run is complete; nothing to do (delete the file to scan again)`);
    progress.close();
    return summary(false);
  }

  const watermark = new ListingWatermark<ListingPosition>(state.after);
  // The resume file is only written by a real run: a dry run changes nothing, not even that.
  const resumeFile = o.dryRun ? undefined : o.resumeFile;
  let saving: Promise<void> = Promise.resolve();
  let savedPosition = state.after;
  const save = (complete: boolean): Promise<void> => {
    if (resumeFile === undefined) return Promise.resolve();
    const position = watermark.position;
    if (!complete && position === savedPosition) return saving;
    savedPosition = position;
    const next: ResumeState = { ...run, complete, ...(position === undefined ? {} : { after: position }) };
    saving = saving.then(() => writeResumeFile(resumeFile, next));
    return saving;
  };
  const timer = setInterval(() => void save(false).catch(() => undefined), SAVE_INTERVAL_MS);

  const ctx: RewrapContext = {
    s3: o.s3,
    bucket: o.bucket,
    keys: o.keys,
    activeKekRef,
    dryRun: o.dryRun,
    multipartThreshold: o.multipartThreshold,
    partConcurrency: o.partConcurrency,
    conditionalWrite: o.conditionalWrite,
    ...(o.beforeCopy === undefined ? {} : { beforeCopy: o.beforeCopy }),
  };
  const listing = prefetch(listObjects(o.s3, { ...run, after: state.after }), LIST_AHEAD, (n) =>
    progress.listed(n),
  );
  async function* indexed() {
    for await (const object of listing) yield { object, index: watermark.add(positionOf(object)) };
  }
  const pool = mapConcurrent(indexed(), o.concurrency, async ({ object, index }) => {
    const result = await rewrapObject(ctx, object);
    const outcome = { object, result };
    tally.add(outcome);
    progress.finished(outcome);
    watermark.finish(index, result.kind === "failed");
  });
  let interrupted = false;
  const onAbort = (): void => {
    interrupted = true;
    pool.stop();
  };
  o.signal?.addEventListener("abort", onAbort, { once: true });
  if (o.signal?.aborted === true) onAbort();
  let listedAll = false;
  try {
    await pool.done;
    listedAll = !interrupted;
  } finally {
    clearInterval(timer);
    o.signal?.removeEventListener("abort", onAbort);
    progress.close();
    await save(listedAll && watermark.complete);
  }
  return summary(interrupted);
}
