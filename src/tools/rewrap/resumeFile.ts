/**
 * The resume file of `s3proxy rewrap --resume-file F`: which run it belongs to (bucket, prefix, all versions or
 * current ones) and the listing position everything up to which is done (ListingWatermark.ts), or that the
 * run completed. It is small and rewritten whole, atomically (a temporary file renamed over it), so a crash at
 * any moment leaves the previous or the next state, never a torn one. Re-wrapping is idempotent (an object
 * already under the active KEK is only counted), so a position that lags behind the truth costs a few HEADs,
 * never a wrong result.
 */
import { open, readFile, rename, unlink } from "node:fs/promises";
import { ToolError } from "../ToolError.ts";

export interface ListingPosition {
  readonly key: string;
  readonly versionId?: string;
}

export interface RewrapRunId {
  readonly bucket: string;
  readonly prefix: string;
  readonly allVersions: boolean;
}

export interface ResumeState extends RewrapRunId {
  /** Everything up to and including this listing position is done; undefined: start at the beginning. */
  readonly after?: ListingPosition;
  /** The run went through the whole listing with no failure. */
  readonly complete: boolean;
}

const VERSION = 1;

function isPosition(v: unknown): v is ListingPosition {
  if (typeof v !== "object" || v === null) return false;
  const p = v as Record<string, unknown>;
  return typeof p.key === "string" && (p.versionId === undefined || typeof p.versionId === "string");
}

export function parseResumeState(text: string, source: string): ResumeState {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new ToolError("ResumeFileMismatch", `${source} is not a rewrap resume file (not JSON)`, { cause });
  }
  const d = (typeof doc === "object" && doc !== null ? doc : {}) as Record<string, unknown>;
  if (
    d.version !== VERSION ||
    typeof d.bucket !== "string" ||
    typeof d.prefix !== "string" ||
    typeof d.allVersions !== "boolean" ||
    typeof d.complete !== "boolean" ||
    (d.after !== undefined && !isPosition(d.after))
  ) {
    throw new ToolError("ResumeFileMismatch", `${source} is not a version ${VERSION} rewrap resume file`);
  }
  const after = d.after;
  return {
    bucket: d.bucket,
    prefix: d.prefix,
    allVersions: d.allVersions,
    complete: d.complete,
    ...(after === undefined
      ? {}
      : {
          after:
            after.versionId === undefined
              ? { key: after.key }
              : { key: after.key, versionId: after.versionId },
        }),
  };
}

export function serializeResumeState(state: ResumeState, now: Date): string {
  return `${JSON.stringify(
    {
      version: VERSION,
      bucket: state.bucket,
      prefix: state.prefix,
      allVersions: state.allVersions,
      ...(state.after === undefined ? {} : { after: state.after }),
      complete: state.complete,
      updated: now.toISOString(),
    },
    null,
    2,
  )}\n`;
}

/** The state to continue from: a fresh start without a file, else the file's, if it belongs to this run. */
export function resumeFrom(run: RewrapRunId, saved: ResumeState | undefined, source: string): ResumeState {
  if (saved === undefined) return { ...run, complete: false };
  const same =
    saved.bucket === run.bucket && saved.prefix === run.prefix && saved.allVersions === run.allVersions;
  if (!same) {
    throw new ToolError(
      "ResumeFileMismatch",
      `${source} belongs to another run (s3://${saved.bucket}/${saved.prefix}` +
        `${saved.allVersions ? ", --all-versions" : ""}); use another --resume-file or delete it`,
    );
  }
  return saved;
}

export async function readResumeFile(path: string): Promise<ResumeState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return parseResumeState(text, path);
}

export async function writeResumeFile(path: string, state: ResumeState, now = new Date()): Promise<void> {
  const tmp = `${path}.tmp`;
  const file = await open(tmp, "w", 0o600);
  try {
    await file.writeFile(serializeResumeState(state, now));
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
