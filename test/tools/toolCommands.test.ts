/**
 * The offline tools through the compiled bin, on local files (no S3, no proxy): decrypt and inspect an object
 * made by the format module from a file and its head-object JSON, with the key file the proxy would use.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import { LocalKeyProvider, serializeKeyFile } from "../../src/keys/index.ts";
import { testKeySet } from "../keys/helpers.ts";
import { encryptedObject, writeObjectFiles } from "./storedObjectFixture.ts";

const bin = fileURLToPath(new URL("../../bin/s3proxy.js", import.meta.url));
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.toUpperCase().startsWith("S3PROXY_")),
);
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env, timeout: 30_000 });

const dir = await mkdtemp(join(tmpdir(), "s3proxy-tools-"));
after(() => rm(dir, { recursive: true, force: true }));
const set = testKeySet(["kek-old", "kek-new"], "kek-old");
const keyFile = join(dir, "keys.json");
await writeFile(keyFile, serializeKeyFile(set), { mode: 0o600 });
const plain = randomBytes(300_000);
const object = await encryptedObject(new LocalKeyProvider(set), plain, {
  layout: "multipart",
  partSize: 8 * 4096,
  sealMd5: false,
});
const { file, metadataFile } = await writeObjectFiles(dir, object);

describe("s3proxy inspect/decrypt on local files", () => {
  it("decrypts a file whole and ranged, and refuses to overwrite", async () => {
    const out = join(dir, "plain.bin");
    const r = run("decrypt", file, "--metadata", metadataFile, "--key-file", keyFile, "-o", out);
    assert.equal(r.status, 0, r.stderr);
    assert.ok((await readFile(out)).equals(plain));
    assert.match(r.stderr, /300000 of 300000 plaintext bytes \[0, 300000\) -> /);
    const again = run("decrypt", file, "--metadata", metadataFile, "--key-file", keyFile, "-o", out);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^s3proxy decrypt: OutputExists: /m);
    const ranged = join(dir, "range.bin");
    const r2 = run(
      "decrypt",
      file,
      "--metadata",
      metadataFile,
      "--key-file",
      keyFile,
      "--range",
      "100000-200000",
      "-o",
      ranged,
    );
    assert.equal(r2.status, 0, r2.stderr);
    assert.ok((await readFile(ranged)).equals(plain.subarray(100_000, 200_001)));
  });

  it("names what is missing: metadata, keys, the right KEK", () => {
    assert.match(run("decrypt", file, "--key-file", keyFile).stderr, /ToolUsage: .*--metadata FILE/);
    const other = run(
      "decrypt",
      file,
      "--metadata",
      metadataFile,
      "--key-file",
      join(dir, "nope.json"),
      "-o",
      join(dir, "x"),
    );
    assert.equal(other.status, 1);
    assert.match(other.stderr, /KeySourceInvalid: /);
    assert.match(run("decrypt", file, "--keys", "x:y").stderr, /keys are never taken as a flag/);
  });

  it("inspects a file as JSON without keys", () => {
    const r = run("inspect", file, "--metadata", metadataFile, "--json");
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      envelope: { kekRef: string; layout: string };
      multipart: { recordsPerPart: number; partCount: number };
      plaintextLength: number;
    };
    assert.equal(report.envelope.kekRef, "aeskw:kek-old");
    assert.equal(report.envelope.layout, "multipart");
    assert.deepEqual([report.multipart.recordsPerPart, report.multipart.partCount], [8, 10]);
    assert.equal(report.plaintextLength, plain.length);
  });

  it("lists the tools in --help", () => {
    const help = run("--help").stdout;
    for (const cmd of ["inspect <object>", "decrypt <object>", "rewrap"])
      assert.ok(help.includes(`s3proxy ${cmd}`), cmd);
  });
});
