/** The tools' flags as yargs parses them (builders from the command modules) and the typed requests made from them. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import yargs, { type Argv } from "yargs";
import { decryptOptions, decryptRequest } from "../../src/tools/decryptCommand.ts";
import { inspectOptions } from "../../src/tools/inspectCommand.ts";
import { rewrapOptions, rewrapRequest } from "../../src/tools/rewrap/rewrapCommand.ts";
import { ToolError } from "../../src/tools/ToolError.ts";

type Parsed<T> = Awaited<Argv<T>["argv"]>;

async function parse<T>(command: string, builder: (y: Argv) => Argv<T>, args: string[]): Promise<Parsed<T>> {
  let got: Parsed<T> | undefined;
  await yargs(args)
    .command(command, "", builder, (argv) => {
      got = argv as Parsed<T>;
    })
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseAsync();
  if (got === undefined) throw new Error("no command ran");
  return got;
}

const usage = (err: unknown): boolean => err instanceof ToolError && err.code === "ToolUsage";

describe("decrypt arguments", () => {
  it("takes an object, an output, a range and flags", async () => {
    const argv = await parse("decrypt <object>", decryptOptions, [
      "decrypt",
      "s3://b/k",
      "-o",
      "out.bin",
      "--range",
      "10-19",
      "--force",
      "--key-file",
      "keys.json",
    ]);
    const r = decryptRequest(argv);
    assert.equal(r.source, "s3://b/k");
    assert.equal(r.output, `${process.cwd()}/out.bin`);
    assert.deepEqual(r.range, { kind: "from", first: 10, last: 19 });
    assert.equal(r.force, true);
    assert.equal(r.allowPlaintext, false);
    assert.equal(r.keys.keyFile, `${process.cwd()}/keys.json`);
    assert.equal(r.keys.keyRing.kms, undefined);
  });

  it("writes to stdout by default or with -o -, and refuses --force there and malformed ranges", async () => {
    const plain = decryptRequest(
      await parse("decrypt <object>", decryptOptions, ["decrypt", "f.bin", "--metadata", "m.json"]),
    );
    assert.equal(plain.output, undefined);
    assert.equal(plain.metadataFile, "m.json");
    const dash = decryptRequest(await parse("decrypt <object>", decryptOptions, ["decrypt", "f", "-o", "-"]));
    assert.equal(dash.output, undefined);
    const force = await parse("decrypt <object>", decryptOptions, ["decrypt", "f", "--force"]);
    assert.throws(() => decryptRequest(force), usage);
    const range = await parse("decrypt <object>", decryptOptions, ["decrypt", "f", "--range", "9-1"]);
    assert.throws(() => decryptRequest(range), usage);
    await assert.rejects(
      parse("decrypt <object>", decryptOptions, ["decrypt"]),
      /Not enough non-option arguments/,
    );
    await assert.rejects(
      parse("decrypt <object>", decryptOptions, ["decrypt", "f", "--nope"]),
      /Unknown argument/,
    );
  });
});

describe("inspect arguments", () => {
  it("takes --json, --verify and the S3 access flags", async () => {
    const argv = await parse("inspect <object>", inspectOptions, [
      "inspect",
      "s3://b/k?versionId=1",
      "--json",
      "--verify",
      "--upstream-endpoint",
      "https://127.0.0.1:9000",
      "--access-key-id",
      "A",
      "--secret-access-key",
      "S",
    ]);
    assert.equal(argv.json, true);
    assert.equal(argv.verify, true);
    assert.equal(argv["upstream-endpoint"], "https://127.0.0.1:9000");
  });
});

describe("rewrap arguments", () => {
  it("has defaults: current versions, 8 in flight, 5 GiB threshold, conditional writes", async () => {
    const r = rewrapRequest(await parse("rewrap", rewrapOptions, ["rewrap", "--bucket", "b"]), {});
    assert.equal(r.bucket, "b");
    assert.equal(r.prefix, "");
    assert.equal(r.dryRun, false);
    assert.equal(r.allVersions, false);
    assert.equal(r.concurrency, 8);
    assert.equal(r.resumeFile, undefined);
    assert.equal(r.multipartThreshold, 5 * 1024 ** 3);
    assert.equal(r.conditionalWrite, true);
    assert.equal(r.s3.region, "us-east-1");
    assert.deepEqual(r.s3.credentials, { kind: "default-chain", region: "us-east-1" });
  });

  it("takes every flag, and checks ranges", async () => {
    const argv = await parse("rewrap", rewrapOptions, [
      "rewrap",
      "--bucket",
      "b",
      "--prefix",
      "p/",
      "--dry-run",
      "--concurrency",
      "3",
      "--resume-file",
      "state.json",
      "--all-versions",
      "--multipart-threshold",
      String(8 * 1024 ** 2),
      "--no-conditional-write",
      "--region",
      "eu-west-1",
      "--access-key-id",
      "A",
      "--secret-access-key",
      "S",
    ]);
    const r = rewrapRequest(argv, { AWS_REGION: "us-west-2" });
    assert.equal(r.prefix, "p/");
    assert.equal(r.dryRun, true);
    assert.equal(r.concurrency, 3);
    assert.equal(r.resumeFile, `${process.cwd()}/state.json`);
    assert.equal(r.allVersions, true);
    assert.equal(r.multipartThreshold, 8 * 1024 ** 2);
    assert.equal(r.conditionalWrite, false);
    assert.equal(r.s3.region, "eu-west-1");
    assert.deepEqual(r.s3.credentials, { kind: "static", accessKeyId: "A", secretAccessKey: "S" });
    for (const bad of [
      ["--concurrency", "0"],
      ["--concurrency", "1.5"],
      ["--multipart-threshold", "1"],
      ["--bucket", "b/c"],
    ]) {
      const a = await parse("rewrap", rewrapOptions, [
        "rewrap",
        ...(bad[0] === "--bucket" ? [] : ["--bucket", "b"]),
        ...bad,
      ]);
      assert.throws(() => rewrapRequest(a, {}), usage, bad.join(" "));
    }
    await assert.rejects(parse("rewrap", rewrapOptions, ["rewrap"]), /Missing required argument: bucket/);
    const half = await parse("rewrap", rewrapOptions, ["rewrap", "--bucket", "b", "--access-key-id", "A"]);
    assert.throws(() => rewrapRequest(half, {}), /go together/);
  });
});
