/**
 * The benchmark's helper processes: the origin (bench/lib/originServer.ts), one s3proxy per measured case and
 * the optional reference tunnel. The proxy is started as a user would start it (the compiled `dist/cli.js serve`), in its
 * own process, so its CPU time and peak RSS are its own.
 */
import { execFile } from "node:child_process";
import { get } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { builtCli } from "../../scripts/builtCli.ts";
import { REPO_ROOT, spawnNode, whenReady, type Child } from "./spawnNode.ts";

/** A port nobody listens on right now (bound and released; the window for a collision is tiny). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls the proxy's own `GET /healthz` until it answers 200 (or `wanted()` turns false). */
async function healthy(port: number, wanted: () => boolean): Promise<void> {
  while (wanted()) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = get({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
}

export interface OriginFiles {
  key: string;
  ipCert: string;
  localhostCert: string;
  /** The KEK file the origin wraps its stored objects' DEKs with (the encrypted route's proxy gets it too). */
  kekFile: string;
}

export async function startOrigin(files: OriginFiles): Promise<{ child: Child; port: number }> {
  const s = spawnNode(
    "origin",
    ["bench/lib/originServer.ts", files.key, files.ipCert, files.localhostCert, files.kekFile],
    process.env,
  );
  const match = await whenReady("origin", s, s.line(/^\{"port":(\d+)\}$/));
  return { child: s.child, port: Number(match[1]) };
}

/** The opt-in reference tunnel (bench/lib/bareTunnel.ts). */
export async function startBareTunnel(): Promise<{ child: Child; port: number }> {
  const s = spawnNode("bare-tunnel", ["bench/lib/bareTunnel.ts"], process.env);
  const match = await whenReady("bare-tunnel", s, s.line(/HTTPS_PROXY=http:\/\/[^:\s]+:(\d+)/));
  return { child: s.child, port: Number(match[1]) };
}

/** The long options `s3proxy serve --help` lists (flags differ between builds of the proxy). */
export async function proxyServeFlags(): Promise<Set<string>> {
  const help = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [builtCli(), "serve", "--help"], { cwd: REPO_ROOT }, (err, stdout) => {
      if (err) reject(new Error(`s3proxy serve --help failed: ${err.message}`));
      else resolve(stdout);
    });
  });
  return new Set(help.match(/--[a-z][a-z-]*/g) ?? []);
}

export interface ProxyOptions {
  caDir: string;
  originPort: number;
  originCaFile: string;
  /**
   * How the proxy learns to trust the origin: `--upstream-ca` (what a user does), or NODE_EXTRA_CA_CERTS
   * (Node's default trust store, no `ca` option on the upstream agent; see routes.ts).
   */
  upstreamCaVia: "flag" | "env";
  interceptHost: string;
  /** Route-specific `serve` flags (e.g. the encryption settings of a future "encrypted" route). */
  extraFlags: readonly string[];
}

/**
 * Flags every benchmark proxy gets. `--passthrough`: builds that have it refuse object data by default until
 * the encryption pipeline is wired in (fail closed); the benchmark measures the pass-through relay, which older
 * builds ran without the flag.
 */
export function baseProxyFlags(serveFlags: ReadonlySet<string>): string[] {
  return serveFlags.has("--passthrough") ? ["--passthrough"] : [];
}

/**
 * `s3proxy serve` on a port picked here, ready once its `/healthz` answers. `--log-level warn`: per-request
 * info logs would be measured as proxy CPU (and at that level the "s3proxy listening" line is not printed).
 */
export async function startProxy(o: ProxyOptions): Promise<{ child: Child; port: number }> {
  const port = await freePort();
  const s = spawnNode(
    "proxy",
    [
      builtCli(),
      "serve",
      "--listen",
      `127.0.0.1:${port}`,
      "--ca-dir",
      o.caDir,
      "--allow-ports",
      "*",
      "--intercept",
      o.interceptHost,
      "--upstream-endpoint",
      `https://127.0.0.1:${o.originPort}`,
      ...(o.upstreamCaVia === "flag" ? ["--upstream-ca", o.originCaFile] : []),
      "--log-level",
      "warn",
      ...o.extraFlags,
    ],
    o.upstreamCaVia === "env" ? { ...process.env, NODE_EXTRA_CA_CERTS: o.originCaFile } : process.env,
  );
  let waiting = true;
  try {
    await whenReady(
      "proxy",
      s,
      healthy(port, () => waiting),
    );
  } finally {
    waiting = false;
  }
  return { child: s.child, port };
}
