/**
 * Turns the samples into the Markdown the benchmark prints (meant to be pasted into docs/BENCHMARKS.md):
 * medians across runs per case, then ratios between every pair of routes in list order (b/a for a before b),
 * so a route added to bench/lib/routes.ts gets its own rows and ratio columns without changes here.
 */
import type { Route } from "./routes.ts";
import { median, percentile } from "./stats.ts";
import type { Sample, Workload } from "./workloads.ts";

export interface CaseResult {
  route: Route;
  samples: Sample[];
  /** Proxy memory (KiB) right after start-up and its lifetime peak (VmHWM) after this case; none if no proxy. */
  memory: { idleKiB: number; peakKiB: number } | undefined;
}

export interface WorkloadResult {
  workload: Workload;
  cases: CaseResult[];
}

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** Per-run values of a figure; empty when it does not apply to the case (e.g. proxy CPU of "direct"). */
function perRun(c: CaseResult, f: (s: Sample) => number | undefined): number[] {
  const xs = c.samples.map(f).filter((x): x is number => x !== undefined);
  return xs.length === c.samples.length ? xs : [];
}

const total = (s: Sample): number => (s.proxyCpuS ?? 0) + s.clientCpuS + s.originCpuS;

interface Metric {
  label: string;
  /** The figure for one run; the table shows the median over runs. */
  run: (s: Sample) => number | undefined;
  digits: number;
  /** Also show min–max over runs (for the headline proxy figures, so the noise is visible). */
  spread?: true;
}

const value = (c: CaseResult, m: Metric): number => median(perRun(c, m.run));

const BULK: Metric[] = [
  { label: "MiB/s", run: (s) => s.bytes / MiB / s.wallS, digits: 0 },
  { label: "proxy CPU-s/GiB (min–max)", run: (s) => perGiB(s.proxyCpuS, s), digits: 2, spread: true },
  { label: "client CPU-s/GiB", run: (s) => perGiB(s.clientCpuS, s), digits: 2 },
  { label: "origin CPU-s/GiB", run: (s) => perGiB(s.originCpuS, s), digits: 2 },
  { label: "all CPU-s/GiB", run: (s) => perGiB(total(s), s), digits: 2 },
  {
    label: "proxy faults/MiB",
    run: (s) => s.proxyMinorFaults && s.proxyMinorFaults / (s.bytes / MiB),
    digits: 0,
  },
  {
    label: "proxy KiB/write",
    run: (s) => s.proxyIo && s.proxyIo.writeBytes / 1024 / s.proxyIo.writeCalls,
    digits: 1,
  },
];

const SMALL: Metric[] = [
  { label: "req/s", run: (s) => s.requests / s.wallS, digits: 0 },
  { label: "p50 ms", run: (s) => percentile(s.latenciesMs, 50), digits: 3 },
  { label: "p99 ms", run: (s) => percentile(s.latenciesMs, 99), digits: 3 },
  { label: "proxy CPU µs/req (min–max)", run: (s) => perRequest(s.proxyCpuS, s), digits: 0, spread: true },
  { label: "client CPU µs/req", run: (s) => perRequest(s.clientCpuS, s), digits: 0 },
  { label: "origin CPU µs/req", run: (s) => perRequest(s.originCpuS, s), digits: 0 },
  { label: "all CPU µs/req", run: (s) => perRequest(total(s), s), digits: 0 },
];

/** Ratio rows: throughput, the proxy's own CPU and everything's CPU (and latency for small requests). */
const RATIO_BULK = ["MiB/s", "proxy CPU-s/GiB (min–max)", "all CPU-s/GiB"];
const RATIO_SMALL = ["req/s", "p50 ms", "p99 ms", "proxy CPU µs/req (min–max)", "all CPU µs/req"];

function perGiB(cpuS: number | undefined, s: Sample): number | undefined {
  return cpuS === undefined ? undefined : cpuS / (s.bytes / GiB);
}

function perRequest(cpuS: number | undefined, s: Sample): number | undefined {
  return cpuS === undefined ? undefined : (cpuS * 1e6) / s.requests;
}

const fmt = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : "–");

function cell(c: CaseResult, m: Metric): string {
  const xs = perRun(c, m.run);
  const mid = fmt(median(xs), m.digits);
  if (!m.spread || xs.length < 2) return mid;
  return `${mid} (${fmt(Math.min(...xs), m.digits)}–${fmt(Math.max(...xs), m.digits)})`;
}

function memoryCell(c: CaseResult): string {
  if (!c.memory) return "–";
  return `${(c.memory.idleKiB / 1024).toFixed(0)} → ${(c.memory.peakKiB / 1024).toFixed(0)}`;
}

/** Aligned Markdown table: `left` leading columns left-aligned, the rest right-aligned. */
export function markdownTable(head: string[], rows: string[][], left = 1): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, c) => (c < left ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((w, c) => (c < left ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(head), rule, ...rows.map(line)].join("\n");
}

const RSS_HEAD = "proxy RSS MiB (idle → peak)";

function caseTable(results: WorkloadResult[], metrics: Metric[], withWorkload: boolean): string {
  const head = [...(withWorkload ? ["transfer"] : []), "route", ...metrics.map((m) => m.label), RSS_HEAD];
  const rows = results.flatMap((w) =>
    w.cases.map((c) => [
      ...(withWorkload ? [w.workload.name] : []),
      c.route.name,
      ...metrics.map((m) => cell(c, m)),
      memoryCell(c),
    ]),
  );
  return markdownTable(head, rows, withWorkload ? 2 : 1);
}

function ratioTable(results: WorkloadResult[]): string {
  const routes = results[0]?.cases.map((c) => c.route.name) ?? [];
  const pairs: [number, number][] = [];
  for (let b = 1; b < routes.length; b++) for (let a = 0; a < b; a++) pairs.push([a, b]);
  const head = ["workload", "metric", ...pairs.map(([a, b]) => `${routes[b]}/${routes[a]}`)];
  const rows: string[][] = [];
  for (const w of results) {
    const metrics =
      w.workload.kind === "bulk"
        ? BULK.filter((m) => RATIO_BULK.includes(m.label))
        : SMALL.filter((m) => RATIO_SMALL.includes(m.label));
    for (const m of metrics) {
      const values = w.cases.map((c) => value(c, m));
      rows.push([
        w.workload.name,
        m.label.replace(" (min–max)", ""),
        ...pairs.map(([a, b]) => fmt((values[b] ?? NaN) / (values[a] ?? NaN), 2)),
      ]);
    }
  }
  return markdownTable(head, rows, 2);
}

export interface ReportContext {
  title: string;
  runs: number;
  largeBytes: number;
  /** 1-minute load average before and after the run (other work on the machine moves MiB/s and latency). */
  load: [number, number];
}

export function renderReport(ctx: ReportContext, results: WorkloadResult[]): string {
  const bulk = results.filter((r) => r.workload.kind === "bulk");
  const small = results.filter((r) => r.workload.kind === "small");
  const routes = results[0]?.cases.map((c) => c.route) ?? [];
  const out: string[] = [
    `### ${ctx.title}`,
    "",
    `1-minute load average: ${ctx.load[0].toFixed(2)} at start, ${ctx.load[1].toFixed(2)} at end.`,
    "",
  ];
  if (bulk.length > 0) {
    out.push(
      `Large transfers: one ${(ctx.largeBytes / MiB).toFixed(0)} MiB body per run, one keep-alive TLS connection per case, median of ${ctx.runs} runs.`,
      "",
      caseTable(bulk, BULK, true),
      "",
    );
  }
  for (const w of small) {
    out.push(
      `Small requests: ${w.workload.name}, sequential on one keep-alive TLS connection, median of ${ctx.runs} runs (p50/p99: per run, then median).`,
      "",
      caseTable([w], SMALL, false),
      "",
    );
  }
  out.push("Ratios (of the medians above; `–` where a route has no proxy):", "", ratioTable(results), "");
  out.push(
    ...routes.map((r) => `- **${r.name}**: ${r.path}.`),
    "- CPU: proxy and origin from /proc/<pid>/stat utime+stime (all threads, clock ticks of 1/CLK_TCK s), the " +
      "client from process.cpuUsage(); CPU-s/GiB is per GiB of payload. MiB/s and latency are wall-clock and " +
      "move with whatever else loads the machine; CPU per GiB or per request is the steadier comparison " +
      "(NOTES §6), though it too spreads between runs when the other core is busy: see min–max.",
    "- proxy KiB/write: bytes per write-family system call of the proxy (/proc/<pid>/io wchar/syscw), both " +
      "directions together; small values mean one system call per TLS record (no write coalescing).",
    "- proxy faults/MiB: minor page faults of the proxy per MiB of payload (/proc/<pid>/stat minflt); " +
      "~256 means every 4 KiB relayed landed in a freshly faulted page (freed buffers went back to the kernel).",
    "- RSS: a fresh proxy process per case (route × workload); idle = VmRSS after start-up, peak = VmHWM " +
      "(lifetime peak of that process, warm-up included).",
    "- encrypted: the origin serves the stored form (format v1 ciphertext and envelope) to requests signed with " +
      "the encrypting proxy's key and plain bytes to everyone else, so every route moves the same payload; its " +
      "origin CPU includes encrypting that stored form on the fly (bench/lib/originServer.ts).",
  );
  return out.join("\n");
}
