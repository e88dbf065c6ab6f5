/**
 * Starts `moto_server` (NOTES.md §3: in this image's pyenv, emulates S3 and stores/returns x-amz-checksum-* like
 * AWS) on a free loopback port for tests that need a backend which really sends ciphertext checksums back. Its
 * signature check stays off: moto is never the signature oracle here (radosgw is).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface MotoServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Whether `moto_server` is on PATH (probed by running it with --help). */
export function motoAvailable(): boolean {
  const r = spawnSync("moto_server", ["--help"], { stdio: "ignore" });
  return r.error === undefined && r.status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns moto_server and resolves once it answers HTTP; rejects with a clear message if it is not installed. */
export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  if (!motoAvailable()) {
    throw new Error("moto_server is not on PATH (expected in this image's pyenv python 3.11, moto 5.2)");
  }
  const port = await freePort();
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}:\n${stderr}`);
    try {
      await fetch(`${endpoint}/`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms:\n${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
