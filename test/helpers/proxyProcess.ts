/**
 * Runs the real `s3proxy serve` command (the compiled CLI) as a child process, exactly as a user would, and reports its ports
 * (from its "s3proxy listening" log line) and its memory (VmHWM/VmRSS from /proc) for bounded-memory tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { builtCli } from "../../scripts/builtCli.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface ProxyProcess {
  pid: number;
  port: number;
  transparentPort: number | undefined;
  caDir: string;
  caFile: string;
  /** Log lines seen so far (JSON strings, one per line). */
  logs: string[];
  /** Peak resident set size of the proxy process so far, in KiB. */
  peakRssKiB(): Promise<number>;
  stop(): Promise<void>;
}

function withoutProxyConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.toUpperCase().startsWith("S3PROXY_")));
}

export async function startProxyProcess(
  args: string[],
  opts: { caDir?: string } = {},
): Promise<ProxyProcess> {
  const base = await mkdtemp(join(tmpdir(), "s3proxy-proc-"));
  const caDir = opts.caDir ?? join(base, "ca");
  const child: ChildProcess = spawn(
    process.execPath,
    [builtCli(), "serve", "--listen", "127.0.0.1:0", "--ca-dir", caDir, ...args],
    // S3PROXY_* variables are the CLI's own configuration: none may leak in from the test environment.
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: withoutProxyConfig(process.env) },
  );
  const logs: string[] = [];
  let stderr = "";
  createInterface({ input: child.stdout! }).on("line", (line) => logs.push(line));
  // The ready banner on stderr names the ports whatever the log level is.
  const ready = new Promise<{ port: number; transparentPort: number | undefined }>((resolve, reject) => {
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
      const forward = /export HTTPS_PROXY=http:\/\/[^\s]+:(\d+)\n/.exec(stderr);
      if (forward && stderr.endsWith("\n\n")) {
        const transparent = /Transparent listener on \S+:(\d+) /.exec(stderr);
        resolve({
          port: Number(forward[1]),
          transparentPort: transparent ? Number(transparent[1]) : undefined,
        });
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`s3proxy exited with ${code} before listening:\n${stderr}`)),
    );
  });
  const timeout = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const listening = await ready.finally(() => clearTimeout(timeout));
  const pid = child.pid ?? 0;
  return {
    pid,
    port: listening.port,
    transparentPort: listening.transparentPort,
    caDir,
    caFile: join(caDir, "ca.pem"),
    logs,
    async peakRssKiB() {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? "0");
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(t);
      }
      await rm(base, { recursive: true, force: true });
    },
  };
}
