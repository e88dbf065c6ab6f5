/** The `s3proxy` bin as users run it: `ca init` creates the CA once and refuses to overwrite it. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";

const bin = fileURLToPath(new URL("../bin/s3proxy.js", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

describe("s3proxy bin", () => {
  it("ca init creates a 0600 key once and refuses to overwrite it", async () => {
    const base = await mkdtemp(join(tmpdir(), "s3proxy-cli-"));
    try {
      const dir = join(base, "ca");
      const first = run("ca", "init", "--ca-dir", dir);
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /created .*ca\.pem \(SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\)/);
      assert.equal((await stat(join(dir, "ca-key.pem"))).mode & 0o777, 0o600);
      const cert = await readFile(join(dir, "ca.pem"), "utf8");
      const second = run("ca", "init", "--ca-dir", dir);
      assert.equal(second.status, 1);
      assert.match(second.stderr, /already holds a CA/);
      assert.equal(await readFile(join(dir, "ca.pem"), "utf8"), cert, "the existing CA is untouched");
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it("documents serve as the default command and rejects unknown flags", () => {
    const help = run("--help");
    assert.equal(help.status, 0);
    assert.match(help.stdout, /s3proxy serve\s+run the proxy\s+\[default\]/);
    const bad = run("--no-such-flag");
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Unknown argument/);
  });

  it("takes --list-sizes head|math|off, as a flag or S3PROXY_LIST_SIZES, and nothing else", () => {
    const help = run("serve", "--help");
    assert.match(help.stdout, /--list-sizes[\s\S]*\[choices: "head", "math", "off"\] \[default: "head"\]/);
    const bad = run("--list-sizes", "guess");
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Invalid values:[\s\S]*list-sizes/);
    const badEnv = spawnSync(process.execPath, [bin], {
      encoding: "utf8",
      env: { ...process.env, S3PROXY_LIST_SIZES: "guess" },
      timeout: 20_000,
    });
    assert.equal(badEnv.status, 1);
    assert.match(badEnv.stderr, /Invalid values:[\s\S]*list-sizes/);
  });
});
