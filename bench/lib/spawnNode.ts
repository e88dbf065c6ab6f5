/**
 * Child processes for the benchmark: `node --import tsx …` spawned directly (no npx or shell in between), so the
 * pid we hold is the process whose /proc counters we read; output drained and kept for error messages; every
 * child tracked so an interrupted run leaves nothing behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Every child started here and not yet exited, so an interrupted benchmark leaves no proxy or origin behind. */
const live = new Set<ChildProcess>();

/** Sends SIGTERM to every child still running (synchronous: usable from an 'exit' or signal handler). */
export function terminateChildren(): void {
  for (const proc of live) proc.kill("SIGTERM");
}

export interface Child {
  readonly pid: number;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

export interface Started {
  child: Child;
  /** Resolves with the first line of output (stdout or stderr) that matches `pattern`. */
  line(pattern: RegExp): Promise<RegExpExecArray>;
  /** Rejects (with the output so far) if the process exits; never resolves. */
  exited: Promise<never>;
}

/** Start-up output that is no news: the proxy's banner and the warning that comes with `--passthrough`. */
const EXPECTED_NOISE = /^\s*(export \w+=|s3proxy is ready|Transparent listener)|"msg":"--passthrough: /;

/**
 * Spawns `node --import tsx <args>` (plain `node <args>` for a `.js` entry point). Output is always drained (a full pipe would stall the child) and kept
 * for error messages; lines nobody waits for are echoed to our stderr with a prefix, since at
 * `--log-level warn` the proxy only prints what went wrong.
 */
export function spawnNode(label: string, args: readonly string[], env: NodeJS.ProcessEnv): Started {
  // Compiled JavaScript (the proxy's dist/cli.js) runs without the TypeScript loader, as it ships.
  const loader = args[0]?.endsWith(".js") ? [] : ["--import", "tsx"];
  const proc = spawn(process.execPath, [...loader, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(proc);
  proc.once("exit", () => live.delete(proc));
  let seen = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const onLine = (line: string): void => {
    seen += `${line}\n`;
    const at = waiters.findIndex((w) => w.pattern.test(line));
    const waiter = waiters[at];
    if (waiter) {
      waiters.splice(at, 1);
      waiter.resolve(waiter.pattern.exec(line) as RegExpExecArray);
    } else if (line.trim() && !EXPECTED_NOISE.test(line)) {
      process.stderr.write(`[${label}] ${line}\n`);
    }
  };
  for (const stream of [proc.stdout, proc.stderr]) {
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (text: string) => {
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
  }
  const exited = new Promise<never>((_, reject) => {
    proc.once("error", reject);
    proc.once("exit", (code, signal) =>
      reject(new Error(`${label} exited (${code ?? signal})\n--- ${label} output ---\n${seen}`)),
    );
  });
  exited.catch(() => {}); // observed by whoever races it; an exit after stop() is expected
  return {
    child: { pid: proc.pid ?? -1, stop: () => stopProcess(proc) },
    line: (pattern) => new Promise((resolve) => waiters.push({ pattern, resolve })),
    exited,
  };
}

/** Waits for `ready`, failing if the child exits first or takes longer than `timeoutMs`. */
export async function whenReady<T>(
  label: string,
  s: Started,
  ready: Promise<T>,
  timeoutMs = 60_000,
): Promise<T> {
  const timer = sleep(timeoutMs, undefined, { ref: false }).then(() => {
    throw new Error(`${label} not ready after ${timeoutMs} ms`);
  });
  try {
    return await Promise.race([ready, s.exited, timer]);
  } catch (err) {
    await s.child.stop();
    throw err;
  }
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
    proc.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    proc.kill("SIGTERM");
  });
}
