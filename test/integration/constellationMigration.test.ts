/**
 * Acceptance (issue [5] Keys, migration from the Go s3proxy): objects as Constellation's s3proxy stored them —
 * the fixtures pyca/cryptography wrote (test/vectors/legacy), put straight into radosgw with their metadata and
 * tags — read through the proxy:
 * - without legacy flags: an S3 error (ProxyLegacyKekMissing), never the stored ciphertext;
 * - with --legacy-kek-file: plaintext (GET, HEAD, Range, partNumber), the zero-KEK objects only with
 *   --legacy-allow-zero-kek, objects above --legacy-max-size refused;
 * then `s3proxy migrate` (dry runs first) converts them in place, and they read through a proxy without any
 * legacy flag, stored with the format v1 envelope, their metadata, type and tags kept.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { builtCli } from "../../scripts/builtCli.ts";
import { directClient, proxyKeyFile, startEncryptingProxy } from "../helpers/encryptedRig.ts";
import { proxiedS3Client } from "../helpers/proxiedS3Client.ts";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import { explainCommand, runCommand, type CommandResult } from "../helpers/runCommand.ts";
import { s3Error } from "../helpers/s3Error.ts";
import {
  FIXTURE_KEK,
  fixture,
  storedBody,
  vectors,
  type ConstellationFixture,
} from "../legacy/constellationVectors.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const bucket = uniqueBucket("constellation");
const PLAIN_KEY = "plain/readme.txt";
const V1_KEY = "v1/already.txt";
const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
const md5 = (b: Uint8Array): string => createHash("md5").update(b).digest("hex");

let work: string;
let kekFile: string;
let direct: S3Client;
/** No legacy flags. */
let bare: { proxy: ProxyProcess; s3: S3Client };
/** --legacy-kek-file, --legacy-max-size 100KiB. */
let kekOnly: { proxy: ProxyProcess; s3: S3Client };
/** --legacy-kek-file --legacy-allow-zero-kek. */
let withZero: { proxy: ProxyProcess; s3: S3Client };

async function proxyWith(args: string[]): Promise<{ proxy: ProxyProcess; s3: S3Client }> {
  // One work directory: every proxy (and migrate) uses the same format v1 key file.
  const proxy = await startEncryptingProxy(rig, work, { extraArgs: args });
  return { proxy, s3: await proxiedS3Client(rig, proxy) };
}

function putFixture(f: ConstellationFixture): Promise<unknown> {
  return direct.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: f.key,
      Body: storedBody(f),
      ContentType: f.contentType,
      Metadata: f.metadata,
      ...(f.tagging === "" ? {} : { Tagging: f.tagging }),
    }),
  );
}

async function body(s3: S3Client, key: string, extra: { Range?: string; PartNumber?: number } = {}) {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return { got, bytes: Buffer.from(await got.Body!.transformToByteArray()) };
}

function migrate(args: string[]): Promise<CommandResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("S3PROXY_")));
  return runCommand(
    process.execPath,
    [
      builtCli(),
      "migrate",
      "--bucket",
      bucket,
      "--upstream-endpoint",
      rig.httpsEndpoint,
      "--upstream-ca",
      rig.caFile,
      "--region",
      rig.region,
      "--access-key-id",
      rig.accessKeyId,
      "--secret-access-key",
      rig.secretAccessKey,
      "--key-file",
      proxyKeyFile(work),
      ...args,
    ],
    { env },
  );
}

async function storedMetadata(key: string): Promise<Record<string, string>> {
  return (await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).Metadata ?? {};
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-constellation-"));
  kekFile = join(work, "legacy-kek.hex");
  await writeFile(kekFile, `${FIXTURE_KEK.toString("hex")}\n`, { mode: 0o600 });
  direct = await directClient(rig);
  bare = await proxyWith([]);
  kekOnly = await proxyWith(["--legacy-kek-file", kekFile, "--legacy-max-size", "100KiB"]);
  withZero = await proxyWith(["--legacy-kek-file", kekFile, "--legacy-allow-zero-kek"]);
  await direct.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const f of vectors.objects) await putFixture(f);
  await direct.send(new PutObjectCommand({ Bucket: bucket, Key: PLAIN_KEY, Body: "not encrypted at all" }));
  await bare.s3.send(new PutObjectCommand({ Bucket: bucket, Key: V1_KEY, Body: "written through s3proxy" }));
});

after(async () => {
  for (const p of [bare, kekOnly, withZero]) {
    p?.s3.destroy();
    await p?.proxy.stop();
  }
  direct?.destroy();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe("Constellation objects through the proxy, before migration", () => {
  it("without a legacy KEK: 501 ProxyLegacyKekMissing for GET, HEAD, Range and partNumber, never the stored bytes", async () => {
    for (const f of vectors.objects) {
      for (const extra of [{}, { Range: "bytes=0-9" }, { PartNumber: 1 }]) {
        const err = await s3Error(
          bare.s3.send(new GetObjectCommand({ Bucket: bucket, Key: f.key, ...extra })),
        );
        assert.equal(err.$metadata.httpStatusCode, 501, `${f.name} ${JSON.stringify(extra)}`);
        assert.equal(err.name, "ProxyLegacyKekMissing", f.name);
      }
      const head = await s3Error(bare.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: f.key })));
      assert.equal(head.$metadata.httpStatusCode, 501, f.name);
    }
    // Plaintext objects without the marker still pass through, objects of our own format still decrypt.
    assert.equal((await body(bare.s3, PLAIN_KEY)).bytes.toString(), "not encrypted at all");
    assert.equal((await body(bare.s3, V1_KEY)).bytes.toString(), "written through s3proxy");
  });

  it("with --legacy-kek-file: the normal-KEK objects decrypt, metadata and type kept, constellation-dek hidden", async () => {
    for (const name of ["small-normal", "empty-normal"]) {
      const f = fixture(name);
      const { got, bytes } = await body(kekOnly.s3, f.key);
      assert.equal(sha256(bytes), f.plaintextSha256, name);
      assert.equal(got.ContentLength, f.plaintextLength, name);
      assert.equal(got.ContentType, f.contentType);
      assert.equal(got.Metadata?.["constellation-dek"], undefined, "the Go proxy's metadata entry is hidden");
      if (name === "small-normal") assert.equal(got.Metadata?.owner, "alice");
    }
    const multi = fixture("multi-normal");
    const head = await kekOnly.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: multi.key }));
    assert.equal(head.ContentLength, multi.plaintextLength, "HEAD: stored length - 28, nothing read");
    assert.equal(head.Metadata?.["constellation-dek"], undefined);
  });

  it("with --legacy-kek-file: objects above --legacy-max-size are refused, zero-KEK objects fail closed", async () => {
    const big = await s3Error(
      kekOnly.s3.send(new GetObjectCommand({ Bucket: bucket, Key: fixture("multi-normal").key })),
    );
    assert.equal(big.$metadata.httpStatusCode, 501);
    assert.equal(big.name, "ProxyLegacyObjectTooLarge");
    for (const name of ["small-zero", "multi-zero"]) {
      const err = await s3Error(
        kekOnly.s3.send(new GetObjectCommand({ Bucket: bucket, Key: fixture(name).key })),
      );
      assert.equal(err.$metadata.httpStatusCode, 500, name);
      assert.equal(err.name, "ProxyDecryptFailed", name);
    }
  });

  it("with --legacy-allow-zero-kek: every fixture decrypts, and each zero-KEK object is logged loudly", async () => {
    for (const f of vectors.objects) {
      const { got, bytes } = await body(withZero.s3, f.key);
      assert.equal(sha256(bytes), f.plaintextSha256, f.name);
      assert.equal(got.ContentLength, f.plaintextLength, f.name);
    }
    const warnings = withZero.proxy.logs.filter((l) => l.includes("ALL-ZERO KEK") && l.includes("zero-kek"));
    assert.ok(warnings.length >= 2, "one warning per zero-KEK object read");
  });

  it("serves Range and partNumber reads from the verified plaintext", async () => {
    const f = fixture("multi-normal");
    const plain = (await body(withZero.s3, f.key)).bytes;
    const cases: [string, number, number][] = [
      ["bytes=65530-65545", 65530, 65546],
      ["bytes=-5", f.plaintextLength - 5, f.plaintextLength],
      ["bytes=131000-", 131000, f.plaintextLength],
    ];
    for (const [range, start, end] of cases) {
      const { got, bytes } = await body(withZero.s3, f.key, { Range: range });
      assert.equal(got.$metadata.httpStatusCode, 206, range);
      assert.equal(got.ContentRange, `bytes ${start}-${end - 1}/${f.plaintextLength}`, range);
      assert.ok(bytes.equals(plain.subarray(start, end)), range);
    }
    const part = await body(withZero.s3, f.key, { PartNumber: 1 });
    assert.equal(sha256(part.bytes), f.plaintextSha256);
    const noPart = await s3Error(
      withZero.s3.send(new GetObjectCommand({ Bucket: bucket, Key: f.key, PartNumber: 2 })),
    );
    assert.equal(noPart.$metadata.httpStatusCode, 416);
    const past = await s3Error(
      withZero.s3.send(new GetObjectCommand({ Bucket: bucket, Key: f.key, Range: "bytes=200000-" })),
    );
    assert.equal(past.$metadata.httpStatusCode, 416);
  });

  it("refuses to copy a Constellation object (its bytes would be taken for plaintext)", async () => {
    const err = await s3Error(
      withZero.s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: "copy/of-legacy",
          CopySource: `${bucket}/${fixture("small-normal").key}`,
        }),
      ),
    );
    assert.equal(err.$metadata.httpStatusCode, 501);
    assert.equal(err.name, "NotImplemented");
  });
});

describe("s3proxy migrate", () => {
  it("radosgw honours a bare If-Match on PUT (the pin migrate relies on)", async () => {
    const err = await s3Error(
      direct.send(
        new PutObjectCommand({ Bucket: bucket, Key: PLAIN_KEY, Body: "clobber", IfMatch: "0".repeat(32) }),
      ),
    );
    assert.equal(err.$metadata.httpStatusCode, 412);
  });

  it("dry runs read and authenticate everything and write nothing; a missing zero-KEK opt-in fails those objects", async () => {
    const kekOnlyRun = await migrate(["--dry-run", "--legacy-kek-file", kekFile]);
    assert.equal(kekOnlyRun.code, 1, explainCommand(kekOnlyRun));
    assert.match(
      kekOnlyRun.stdout,
      /dry run: 7 objects listed: 3 would be converted, 1 already format v1, 1 not Constellation objects, 2 failed/,
    );
    assert.match(kekOnlyRun.stdout, /FAILED .*zero-kek\.txt: LegacyUnwrapFailed/);

    const full = await migrate(["--dry-run", "--legacy-kek-file", kekFile, "--legacy-allow-zero-kek"]);
    assert.equal(full.code, 0, explainCommand(full));
    assert.match(
      full.stdout,
      /dry run: 7 objects listed: 5 would be converted, 1 already format v1, 1 not Constellation objects, 0 failed/,
    );
    assert.match(full.stdout, /WARNING: 2 objects were wrapped with the ALL-ZERO KEK/);
    for (const f of vectors.objects) {
      assert.ok((await storedMetadata(f.key))["constellation-dek"], `${f.name} untouched by the dry run`);
    }
  });

  it("converts every Constellation object in place; it then reads through a proxy without legacy flags", async () => {
    const run = await migrate([
      "--legacy-kek-file",
      kekFile,
      "--legacy-allow-zero-kek",
      "--concurrency",
      "3",
    ]);
    assert.equal(run.code, 0, explainCommand(run));
    assert.match(
      run.stdout,
      /^7 objects listed: 5 converted, 1 already format v1, 1 not Constellation objects, 0 failed$/m,
    );
    for (const f of vectors.objects) {
      const meta = await storedMetadata(f.key);
      assert.equal(meta["constellation-dek"], undefined, `${f.name}: marker gone`);
      assert.ok(
        meta["s3proxy-hdr"] && meta["s3proxy-kek"] && meta["s3proxy-dek"],
        `${f.name}: format v1 envelope`,
      );
      for (const [name, value] of Object.entries(f.metadata)) {
        if (name !== "constellation-dek") assert.equal(meta[name], value, `${f.name}: metadata ${name} kept`);
      }
      const tags = await direct.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: f.key }));
      const tagging = (tags.TagSet ?? []).map((t) => `${t.Key}=${t.Value}`).join("&");
      assert.equal(tagging, f.tagging, `${f.name}: tags kept`);
      const { got, bytes } = await body(bare.s3, f.key);
      assert.equal(
        sha256(bytes),
        f.plaintextSha256,
        `${f.name}: plaintext through a proxy without legacy flags`,
      );
      assert.equal(got.ContentType, f.contentType);
      assert.equal(got.ETag, `"${md5(bytes)}"`, `${f.name}: the plaintext's MD5 as ETag (sealed)`);
      const stored = (await body(direct, f.key)).bytes;
      assert.notEqual(sha256(stored), f.plaintextSha256);
    }
    assert.equal(
      (await body(bare.s3, PLAIN_KEY)).bytes.toString(),
      "not encrypted at all",
      "plaintext untouched",
    );
    assert.equal((await storedMetadata(PLAIN_KEY))["s3proxy-hdr"], undefined);
  });

  it("is idempotent: a second run converts nothing", async () => {
    const again = await migrate(["--legacy-kek-file", kekFile]);
    assert.equal(again.code, 0, explainCommand(again));
    assert.match(
      again.stdout,
      /^7 objects listed: 0 converted, 6 already format v1, 1 not Constellation objects, 0 failed$/m,
    );
  });
});
