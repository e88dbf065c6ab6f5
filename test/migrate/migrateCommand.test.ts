/** `s3proxy migrate` as users run it (the built bin), for what it checks before touching S3. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { builtCli } from "../../scripts/builtCli.ts";

const run = (...args: string[]) => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("S3PROXY_")));
  return spawnSync(process.execPath, [builtCli(), ...args], {
    encoding: "utf8",
    env,
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    timeout: 20_000,
  });
};

describe("s3proxy migrate", () => {
  it("documents its flags, the legacy ones and serve's key flags included", () => {
    const help = run("migrate", "--help");
    assert.equal(help.status, 0, help.stderr);
    for (const flag of [
      "--bucket",
      "--prefix",
      "--dry-run",
      "--concurrency",
      "--legacy-kek-file",
      "--legacy-allow-zero-kek",
      "--legacy-max-size",
      "--key-file",
      "--upstream-endpoint",
    ]) {
      assert.match(help.stdout, new RegExp(`${flag}\\b`), flag);
    }
  });

  it("needs a bucket, a legacy KEK or the zero-KEK opt-in, and a sane concurrency", () => {
    const noBucket = run("migrate");
    assert.equal(noBucket.status, 1);
    assert.match(noBucket.stderr, /Missing required argument: bucket/);
    const noKeys = run("migrate", "--bucket", "b");
    assert.equal(noKeys.status, 1);
    assert.match(noKeys.stderr, /s3proxy migrate: ToolUsage: migrate needs --legacy-kek-file/);
    const badConcurrency = run("migrate", "--bucket", "b", "--legacy-allow-zero-kek", "--concurrency", "0");
    assert.equal(badConcurrency.status, 1);
    assert.match(badConcurrency.stderr, /--concurrency must be an integer from 1 to 64/);
    const badSize = run("migrate", "--bucket", "b", "--legacy-allow-zero-kek", "--legacy-max-size", "huge");
    assert.equal(badSize.status, 1);
    assert.match(badSize.stderr, /--legacy-max-size must be a positive size/);
  });
});
