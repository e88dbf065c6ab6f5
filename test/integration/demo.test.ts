/**
 * `npm run demo` is the project's first impression for a human: it must keep working. Runs the script exactly
 * as `npm run demo` does (node --import tsx scripts/demo.ts) and checks it exits 0 and prints both sides of the
 * story: the plaintext read back through the proxy and the ciphertext dump + envelope metadata stored upstream.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { it } from "node:test";
import { explainCommand, runCommand } from "../helpers/runCommand.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

void it(
  "npm run demo exits 0 and shows plaintext via the proxy and ciphertext upstream",
  { timeout: 180_000 },
  async () => {
    const demo = await runCommand(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
      cwd: root,
      timeoutMs: 170_000,
    });
    assert.equal(demo.code, 0, `demo failed:\n${explainCommand(demo)}`);
    // The demo prints its story on stdout (stderr only says why it failed).
    const output = demo.stdout;
    assert.match(output, /plaintext via proxy: "Hello from s3proxy\\n"/);
    assert.match(output, /ciphertext stored upstream: \d+ bytes/);
    assert.match(output, /^ {4}00000000 {2}([0-9a-f]{2} )+/m, "no hex dump of the stored bytes");
    assert.match(output, /x-amz-meta-s3proxy-\w+: \S+/);
    assert.match(output, /OK: the client saw plaintext; the backend holds only ciphertext/);
    // The dump's ASCII column must not show the message.
    assert.doesNotMatch(output.split("ciphertext stored upstream")[1] ?? "", /Hello from s3proxy/);
  },
);
