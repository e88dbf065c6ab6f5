/**
 * Runs one workload on every chosen route: a fresh proxy process per case (so its VmHWM is that case's peak),
 * one keep-alive client connection per case, a warm-up (JIT, TLS, upstream pool), then the measured runs
 * interleaved across routes with the order rotating each run, so that load from other work on this shared
 * machine spreads over all routes instead of biasing one of them.
 */
import { baseProxyFlags, startBareTunnel, startProxy } from "./children.ts";
import { memoryKiB } from "./procStats.ts";
import { RawHttpConnection } from "./rawHttp.ts";
import type { CaseResult, WorkloadResult } from "./report.ts";
import { INTERCEPT_HOST, KEY_FILE_ARG, type Route, type RouteEnv } from "./routes.ts";
import type { Child } from "./spawnNode.ts";
import { measure, type Probes, type Workload } from "./workloads.ts";

export interface RunnerSetup {
  routes: readonly Route[];
  runs: number;
  env: RouteEnv;
  originPid: number;
  originCaFile: string;
  /** The proxy CA directory shared by every s3proxy process (clients trust env.proxyCaPem). */
  proxyCaDir: string;
  /** Long options this build's `s3proxy serve` accepts. */
  serveFlags: ReadonlySet<string>;
  /** The KEK file of the encrypted route (also given to the origin). */
  keyFile: string;
  log: (line: string) => void;
}

interface LiveCase {
  route: Route;
  proxy: Child | undefined;
  conn: RawHttpConnection | undefined;
  host: string;
  idleKiB: number | undefined;
  result: CaseResult;
}

async function startFor(route: Route, s: RunnerSetup): Promise<{ child: Child; port: number } | undefined> {
  const spec = route.proxy;
  if (!spec) return undefined;
  if (spec.kind === "bare-tunnel") return startBareTunnel();
  return startProxy({
    caDir: s.proxyCaDir,
    originPort: s.env.originPort,
    originCaFile: s.originCaFile,
    upstreamCaVia: spec.upstreamCaVia,
    interceptHost: INTERCEPT_HOST,
    extraFlags: [
      ...(spec.passthrough ? baseProxyFlags(s.serveFlags) : []),
      ...spec.flags.map((f) => (f === KEY_FILE_ARG ? s.keyFile : f)),
    ],
  });
}

export async function runWorkload(workload: Workload, s: RunnerSetup): Promise<WorkloadResult> {
  const live: LiveCase[] = [];
  try {
    for (const route of s.routes) {
      const c: LiveCase = {
        route,
        proxy: undefined,
        conn: undefined,
        host: "",
        idleKiB: undefined,
        result: { route, samples: [], memory: undefined },
      };
      live.push(c);
      const proxy = await startFor(route, s);
      c.proxy = proxy?.child;
      c.idleKiB = proxy ? memoryKiB(proxy.child.pid).rss : undefined;
      const opened = await route.open(s.env, proxy?.port);
      c.conn = new RawHttpConnection(opened.socket);
      c.host = opened.host;
    }
    const probes = (c: LiveCase): Probes => ({ proxyPid: c.proxy?.pid, originPid: s.originPid });
    const runOnce = (c: LiveCase, warmup: boolean) => {
      const conn = c.conn;
      if (!conn) throw new Error(`${c.route.name}: no connection`);
      return measure(probes(c), () => workload.run(conn, c.host, warmup));
    };
    for (const c of live) {
      await runOnce(c, true);
      s.log(`[${workload.name}] ${c.route.name}: warmed up`);
    }
    for (let run = 0; run < s.runs; run++) {
      for (let i = 0; i < live.length; i++) {
        const c = live[(run + i) % live.length];
        if (!c) continue;
        const sample = await runOnce(c, false);
        c.result.samples.push(sample);
        const cpu = sample.proxyCpuS === undefined ? "" : `, proxy ${sample.proxyCpuS.toFixed(2)} CPU-s`;
        s.log(
          `[${workload.name}] run ${run + 1}/${s.runs} ${c.route.name}: ` +
            `${(sample.bytes / 2 ** 20 / sample.wallS).toFixed(1)} MiB/s, ${sample.wallS.toFixed(2)} s${cpu}`,
        );
      }
    }
    for (const c of live) {
      if (c.proxy && c.idleKiB !== undefined)
        c.result.memory = { idleKiB: c.idleKiB, peakKiB: memoryKiB(c.proxy.pid).peak };
    }
    return { workload, cases: live.map((c) => c.result) };
  } finally {
    for (const c of live) c.conn?.close();
    for (const c of live) await c.proxy?.stop();
  }
}
