/**
 * Progress of a rewrap run on stderr: a cli-progress bar when stderr is a terminal (listed so far as the
 * total, with counts), otherwise one plain line per object, e.g. for logs and CI:
 *
 *   rewrapped  s3://bucket/key  aeskw:old -> aeskw:new
 *   FAILED     s3://bucket/other  KekNotFound: …
 *
 * On a terminal the bar shows counts only; refused and failed objects are listed in the summary either way.
 */
import type { MultiBar, SingleBar } from "cli-progress";
import { formatS3Url } from "../parseS3Url.ts";
import type { RewrapOutcome } from "./RewrapOutcome.ts";
import type { RewrapTally } from "./RewrapTally.ts";

export interface RewrapProgress {
  listed(count: number): void;
  finished(outcome: RewrapOutcome): void;
  /** A one-off message (interruption) that must not garble the bar. */
  note(text: string): void;
  close(): void;
}

export function outcomeLine(bucket: string, outcome: RewrapOutcome): string {
  const name = formatS3Url(bucket, outcome.object.key, outcome.object.versionId);
  const r = outcome.result;
  switch (r.kind) {
    case "current":
      return `current      ${name}  ${r.kekRef}`;
    case "rewrapped":
      return `${r.dryRun ? "would rewrap" : "rewrapped   "} ${name}  ${r.from} -> ${r.to}${r.parts === undefined ? "" : ` (${r.parts} parts)`}`;
    case "legacy":
      return `legacy       ${name}  no envelope, unchanged`;
    case "noncurrent":
      return `noncurrent   ${name}  ${r.kekRef} (a version cannot be re-wrapped)`;
    case "gone":
      return `gone         ${name}  deleted meanwhile`;
    case "refused":
      return `REFUSED      ${name}  ${r.reason}`;
    case "failed":
      return `FAILED       ${name}  ${r.code}: ${r.reason}`;
  }
}

export function lineProgress(bucket: string, write: (line: string) => void): RewrapProgress {
  return {
    listed: () => undefined,
    finished: (outcome) => write(`${outcomeLine(bucket, outcome)}\n`),
    note: (text) => write(`${text}\n`),
    close: () => undefined,
  };
}

export async function barProgress(tally: RewrapTally, stream: NodeJS.WriteStream): Promise<RewrapProgress> {
  const { default: cliProgress } = await import("cli-progress");
  const multi: MultiBar = new cliProgress.MultiBar(
    {
      stream,
      format:
        "rewrap [{bar}] {value}/{total} listed | rewrapped {rewrapped} | current {current} | failed {failed} | {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar: SingleBar = multi.create(0, 0, { rewrapped: 0, current: 0, failed: 0 });
  return {
    listed: (count) => bar.setTotal(count),
    finished: () => bar.increment(1, tally.counts),
    note: (text) => {
      multi.log(`${text}\n`);
      multi.update(); // now, not at the next redraw: it may be the last before stop()
    },
    close: () => multi.stop(),
  };
}
