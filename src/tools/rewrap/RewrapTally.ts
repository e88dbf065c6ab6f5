/**
 * The counts and failures of a rewrap run (pure), and its summary as text and as JSON. Refused and failed
 * objects keep their old KEK: the summary names each of them (up to a limit, then a count) with its reason,
 * and any of them makes the exit status non-zero.
 */
import { formatS3Url } from "../parseS3Url.ts";
import type { RewrapOutcome } from "./RewrapOutcome.ts";

export interface RewrapProblem {
  readonly object: string;
  readonly code: string;
  readonly reason: string;
}

export interface RewrapSummary {
  readonly bucket: string;
  readonly prefix: string;
  readonly activeKekRef: string;
  readonly dryRun: boolean;
  readonly interrupted: boolean;
  readonly scanned: number;
  readonly current: number;
  /** Re-wrapped, or with --dry-run: would be. */
  readonly rewrapped: number;
  /** Of those, by the KEK they were wrapped with before. */
  readonly rewrappedFrom: Readonly<Record<string, number>>;
  readonly legacy: number;
  /** --all-versions: noncurrent versions still under an old KEK, by KEK. */
  readonly noncurrentOldKek: Readonly<Record<string, number>>;
  readonly gone: number;
  readonly refused: number;
  readonly failed: number;
  /** Refused and failed objects, at most PROBLEM_LIMIT. */
  readonly problems: readonly RewrapProblem[];
}

export const PROBLEM_LIMIT = 100;

export class RewrapTally {
  #scanned = 0;
  #current = 0;
  #rewrapped = 0;
  #legacy = 0;
  #gone = 0;
  #refused = 0;
  #failed = 0;
  readonly #from = new Map<string, number>();
  readonly #noncurrent = new Map<string, number>();
  readonly #problems: RewrapProblem[] = [];

  constructor(readonly bucket: string) {}

  add(outcome: RewrapOutcome): void {
    this.#scanned++;
    const r = outcome.result;
    const name = (): string => formatS3Url(this.bucket, outcome.object.key, outcome.object.versionId);
    switch (r.kind) {
      case "current":
        this.#current++;
        break;
      case "rewrapped":
        this.#rewrapped++;
        this.#from.set(r.from, (this.#from.get(r.from) ?? 0) + 1);
        break;
      case "legacy":
        this.#legacy++;
        break;
      case "noncurrent":
        this.#noncurrent.set(r.kekRef, (this.#noncurrent.get(r.kekRef) ?? 0) + 1);
        break;
      case "gone":
        this.#gone++;
        break;
      case "refused":
        this.#refused++;
        if (this.#problems.length < PROBLEM_LIMIT) {
          this.#problems.push({ object: name(), code: "CopyRefused", reason: r.reason });
        }
        break;
      case "failed":
        this.#failed++;
        if (this.#problems.length < PROBLEM_LIMIT)
          this.#problems.push({ object: name(), code: r.code, reason: r.reason });
        break;
    }
  }

  get counts() {
    return {
      scanned: this.#scanned,
      rewrapped: this.#rewrapped,
      current: this.#current,
      failed: this.#failed + this.#refused,
    };
  }

  /** True when some object kept an old KEK because it was refused or failed. */
  get hasProblems(): boolean {
    return this.#failed + this.#refused > 0;
  }

  summary(run: {
    prefix: string;
    activeKekRef: string;
    dryRun: boolean;
    interrupted: boolean;
  }): RewrapSummary {
    return {
      bucket: this.bucket,
      ...run,
      scanned: this.#scanned,
      current: this.#current,
      rewrapped: this.#rewrapped,
      rewrappedFrom: Object.fromEntries(this.#from),
      legacy: this.#legacy,
      noncurrentOldKek: Object.fromEntries(this.#noncurrent),
      gone: this.#gone,
      refused: this.#refused,
      failed: this.#failed,
      problems: [...this.#problems],
    };
  }
}

function byKek(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? "" : ` (${entries.map(([ref, n]) => `${ref}: ${n}`).join(", ")})`;
}

export function formatRewrapSummary(s: RewrapSummary): string {
  const noncurrent = Object.values(s.noncurrentOldKek).reduce((a, b) => a + b, 0);
  const rows: [string, string][] = [
    ["scanned", String(s.scanned)],
    ["already current", String(s.current)],
    [s.dryRun ? "would rewrap" : "rewrapped", `${s.rewrapped}${byKek(s.rewrappedFrom)}`],
    ["skipped legacy", String(s.legacy)],
  ];
  if (noncurrent > 0) rows.push(["noncurrent, old KEK", `${noncurrent}${byKek(s.noncurrentOldKek)}`]);
  if (s.gone > 0) rows.push(["deleted meanwhile", String(s.gone)]);
  rows.push(["refused", String(s.refused)], ["failed", String(s.failed)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const head =
    `rewrap s3://${s.bucket}/${s.prefix} to ${s.activeKekRef}` +
    `${s.dryRun ? " (dry run: nothing changed)" : ""}${s.interrupted ? " (interrupted)" : ""}\n`;
  const lines = rows.map(([k, v]) => `  ${`${k}:`.padEnd(width + 2)}${v}\n`).join("");
  const problems = s.problems.map((p) => `  ${p.code}: ${p.object}: ${p.reason}\n`).join("");
  const more = s.refused + s.failed - s.problems.length;
  return `${head}${lines}${problems}${more > 0 ? `  … and ${more} more\n` : ""}`;
}
