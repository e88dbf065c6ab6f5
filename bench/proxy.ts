/**
 * End-to-end benchmark of the proxy against its baselines, side by side in one run: a local HTTPS origin
 * reached directly, through the proxy's raw CONNECT tunnel, through interception (two TLS legs, HTTP parsed,
 * pass-through step, pooled upstream) and through interception with encryption (the default mode). Large GET, large PUT and many small GETs; per case MiB/s,
 * CPU-seconds per GiB (or µs per request) of the proxy, client and origin processes, latency and proxy peak
 * RSS, then Markdown tables with ratios on stdout, ready for docs/BENCHMARKS.md (progress goes to stderr).
 *
 *   node --import tsx bench/proxy.ts [--size 256MiB] [--runs 5] [--small 2000]
 *                                    [--routes direct,tunnel,intercept] [--workloads get,put,small]
 *
 * `--routes` may also name the opt-in diagnostic routes `bare-tunnel` and `intercept-envca` (bench/lib/routes.ts).
 * Client (this process), origin and each proxy are separate processes, so /proc tells their CPU apart.
 * Not a test: nothing here asserts anything about timing.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createDevelopmentKeyFile } from "../src/keys/index.ts";
import { createCa, CA_CERT_FILE } from "../src/tls/caStore.ts";
import { createTestPki } from "../test/helpers/testPki.ts";
import { proxyServeFlags, startOrigin } from "./lib/children.ts";
import { renderReport, type WorkloadResult } from "./lib/report.ts";
import { KNOWN_ROUTES, ROUTES, type Route } from "./lib/routes.ts";
import { runWorkload } from "./lib/runner.ts";
import { REPO_ROOT, terminateChildren, type Child } from "./lib/spawnNode.ts";
import { largeGet, largePut, smallGets, type Workload } from "./lib/workloads.ts";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "256MiB" },
    runs: { type: "string", default: "5" },
    small: { type: "string", default: "2000" },
    routes: { type: "string", default: ROUTES.map((r) => r.name).join(",") },
    workloads: { type: "string", default: "get,put,small" },
  },
});

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)$/i.exec(text.trim());
  if (!m) throw new Error(`--size "${text}": give a unit, e.g. 256MiB or 1GiB`);
  const unit = { b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 }[(m[2] ?? "").toLowerCase()] ?? NaN;
  return Math.round(Number(m[1]) * unit);
}

function pick<T>(list: string, what: string, lookup: (name: string) => T | undefined, known: string[]): T[] {
  return list.split(",").map((name) => {
    const found = lookup(name.trim());
    if (found === undefined) throw new Error(`unknown ${what} "${name}" (known: ${known.join(", ")})`);
    return found;
  });
}

const largeBytes = parseSize(values.size);
const runs = Number(values.runs);
const smallCount = Number(values.small);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(smallCount) || smallCount < 1)
  throw new Error("--runs and --small must be positive integers");

const routes: Route[] = pick(
  values.routes,
  "route",
  (n) => KNOWN_ROUTES.find((r) => r.name === n),
  KNOWN_ROUTES.map((r) => r.name),
);
const allWorkloads: Record<string, Workload> = {
  get: largeGet(largeBytes),
  put: largePut(largeBytes, randomBytes(16 * 2 ** 20)),
  small: smallGets(smallCount, 1024),
};
const workloads = pick(values.workloads, "workload", (n) => allWorkloads[n], Object.keys(allWorkloads));

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Which proxy was measured: the commit, and whether src/ differed from it (read-only git queries). */
function sourceVersion(): string {
  try {
    const git = (...args: string[]): string =>
      execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = git("status", "--porcelain", "--", "src") !== "";
    return `${git("rev-parse", "--short", "HEAD")}${dirty ? " + uncommitted changes in src/" : ""}`;
  } catch {
    return "(not a git checkout)";
  }
}

// The origin's certificates come from a throwaway CA (test/helpers/testPki.ts); the proxy gets a CA of its
// own, created once and shared by every proxy process, so each client trusts exactly the CA of its route.
const pki = await createTestPki();
// Interrupted (Ctrl-C, kill, a crash): take the origin and proxies down too, and the temporary PKI.
process.on("exit", terminateChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    terminateChildren();
    void pki.cleanup().finally(() => process.exit(130));
  });
}
let origin: { child: Child; port: number } | undefined;
try {
  const ipCert = pki.serverCert("127.0.0.1");
  const nameCert = pki.serverCert("localhost");
  const files = {
    key: join(pki.dir, "origin-key.pem"),
    ipCert: join(pki.dir, "origin-ip.pem"),
    localhostCert: join(pki.dir, "origin-localhost.pem"),
    kekFile: join(pki.dir, "bench-kek.json"),
  };
  await createDevelopmentKeyFile(files.kekFile);
  await writeFile(files.key, ipCert.key, { mode: 0o600 });
  await writeFile(files.ipCert, ipCert.cert);
  await writeFile(files.localhostCert, nameCert.cert);
  const proxyCaDir = join(pki.dir, "proxy-ca");
  await createCa(proxyCaDir);
  origin = await startOrigin(files);

  const setup = {
    routes,
    runs,
    env: {
      originPort: origin.port,
      originCaPem: pki.ca.certPem,
      proxyCaPem: await readFile(join(proxyCaDir, CA_CERT_FILE), "utf8"),
    },
    originPid: origin.child.pid,
    originCaFile: pki.ca.certPath,
    proxyCaDir,
    serveFlags: await proxyServeFlags(),
    keyFile: files.kekFile,
    log,
  };
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? NaN;
  const results: WorkloadResult[] = [];
  for (const workload of workloads) results.push(await runWorkload(workload, setup));
  log(`# done in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  const title =
    `s3proxy ${sourceVersion()}; ${cpus().length} × ${cpu}, node ${process.version}, ` +
    new Date().toISOString().slice(0, 10);
  console.log(renderReport({ title, runs, largeBytes, load: [loadBefore, loadavg()[0] ?? NaN] }, results));
} finally {
  await origin?.child.stop();
  await pki.cleanup();
}
