/**
 * `npm run demo` is the project's first impression for a human: it must keep working. Runs the script exactly
 * as `npm run demo` does (node --import tsx scripts/demo.ts) and checks it exits 0 and prints both sides of the
 * story: the plaintext read back through the proxy and the ciphertext dump + envelope metadata stored upstream.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { it } from "node:test";

const root = fileURLToPath(new URL("../..", import.meta.url));

function runDemo(): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 170_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

void it(
  "npm run demo exits 0 and shows plaintext via the proxy and ciphertext upstream",
  { timeout: 180_000 },
  async () => {
    const { code, output } = await runDemo();
    assert.equal(code, 0, `demo failed:\n${output.slice(-4000)}`);
    assert.match(output, /plaintext via proxy: "Hello from s3proxy\\n"/);
    assert.match(output, /ciphertext stored upstream: \d+ bytes/);
    assert.match(output, /^ {4}00000000 {2}([0-9a-f]{2} )+/m, "no hex dump of the stored bytes");
    assert.match(output, /x-amz-meta-s3proxy-\w+: \S+/);
    assert.match(output, /OK: the client saw plaintext; the backend holds only ciphertext/);
    // The dump's ASCII column must not show the message.
    assert.doesNotMatch(output.split("ciphertext stored upstream")[1] ?? "", /Hello from s3proxy/);
  },
);
