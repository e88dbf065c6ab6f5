/**
 * Acceptance (issue [5], offline tools): objects written through the real encrypting proxy (a child process in
 * front of radosgw) are read back without it. `s3proxy decrypt` recovers a 20 MiB multipart object
 * (@aws-sdk/lib-storage, 5 MiB parts) and ranged slices of it byte-identically, both straight from S3 and from a
 * downloaded file plus `aws s3api head-object` output; it verifies a sealed MD5, refuses a legacy object unless
 * --allow-plaintext, and never leaves an output file behind when the data does not authenticate.
 * `s3proxy inspect` prints the envelope as JSON and text.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { builtCli } from "../../scripts/builtCli.ts";
import { ciphertextLength } from "../../src/crypto/index.ts";
import { plaintext, proxyKeyFile } from "../helpers/encryptedRig.ts";
import { explainCommand } from "../helpers/runCommand.ts";
import { rigAccessArgs, runToolCli } from "../helpers/runToolCli.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { cleanClientEnv, runAws } from "../rig/clientEnv.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const bucket = uniqueBucket("tools");
const enc = withEncryptingProxy(rig, "tools");
const MiB = 1024 * 1024;
const big = plaintext(20 * MiB + 12_345);
const small = plaintext(100_000);
const md5 = (b: Buffer): string => createHash("md5").update(b).digest("hex");

const keyArgs = (): string[] => ["--key-file", proxyKeyFile(enc.work)];
const s3Args = (): string[] => [...rigAccessArgs(rig), ...keyArgs()];

/** `aws s3api head-object` output and the stored bytes, downloaded straight from radosgw (no proxy). */
async function download(key: string): Promise<{ file: string; metadataFile: string }> {
  const file = join(enc.work, `${key}.stored`);
  const metadataFile = join(enc.work, `${key}.head.json`);
  const got = await enc.direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  await writeFile(file, Buffer.from(await got.Body!.transformToByteArray()));
  const head = await runAws(
    ["s3api", "head-object", "--bucket", bucket, "--key", key, "--endpoint-url", rig.httpsEndpoint],
    {
      env: cleanClientEnv({
        AWS_ACCESS_KEY_ID: rig.accessKeyId,
        AWS_SECRET_ACCESS_KEY: rig.secretAccessKey,
        AWS_CA_BUNDLE: rig.caFile,
      }),
    },
  );
  assert.equal(head.code, 0, explainCommand(head));
  await writeFile(metadataFile, head.stdout);
  return { file, metadataFile };
}

async function decryptTo(name: string, args: string[]): Promise<{ data: Buffer; stderr: string }> {
  const out = join(enc.work, name);
  const r = await runToolCli(["decrypt", ...args, "-o", out]);
  assert.equal(r.code, 0, explainCommand(r));
  return { data: await readFile(out), stderr: r.stderr };
}

void describe("s3proxy decrypt and inspect against objects the proxy wrote", () => {
  // Inside the describe: Node 20 runs root-level before() hooks concurrently, and this one needs the proxy.
  before(async () => {
    await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
    await new Upload({
      client: enc.viaProxy,
      params: { Bucket: bucket, Key: "big.bin", Body: big },
      partSize: 5 * MiB,
      queueSize: 4,
    }).done();
    await enc.viaProxy.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "small with md5.bin",
        Body: small,
        ContentMD5: createHash("md5").update(small).digest("base64"),
      }),
    );
    await enc.direct.send(
      new PutObjectCommand({ Bucket: bucket, Key: "legacy.txt", Body: "stored in the clear" }),
    );
  });

  it("decrypt recovers the 20 MiB multipart object from S3, whole and ranged", async () => {
    const whole = await decryptTo("big.out", ["s3://" + bucket + "/big.bin", ...s3Args()]);
    assert.equal(whole.data.length, big.length);
    assert.equal(md5(whole.data), md5(big), "byte-identical");
    assert.ok(whole.stderr.includes(`${big.length} of ${big.length} plaintext bytes`), whole.stderr);
    // A slice inside part 3 (past record 0: K comes from record 0), and the tail across the last part.
    for (const [a, b] of [
      [11 * MiB + 17, 12 * MiB + 70_000],
      [19 * MiB, big.length - 1],
      [0, 0],
    ] as const) {
      const r = await decryptTo(`big.${a}-${b}`, [
        `s3://${bucket}/big.bin`,
        "--range",
        `${a}-${b}`,
        ...s3Args(),
      ]);
      assert.ok(r.data.equals(big.subarray(a, b + 1)), `range ${a}-${b}`);
    }
  });

  it("decrypt recovers it from a downloaded file and its head-object JSON, whole and ranged", async () => {
    const { file, metadataFile } = await download("big.bin");
    const whole = await decryptTo("big.file.out", [file, "--metadata", metadataFile, ...keyArgs()]);
    assert.equal(md5(whole.data), md5(big));
    const part = await decryptTo("big.file.range", [
      file,
      "--metadata",
      metadataFile,
      "--range",
      "-100000",
      ...keyArgs(),
    ]);
    assert.ok(part.data.equals(big.subarray(big.length - 100_000)));
  });

  it("decrypt verifies a sealed MD5 and writes to stdout", async () => {
    const child = spawn(
      process.execPath,
      [builtCli(), "decrypt", `s3://${bucket}/small with md5.bin`, ...s3Args()],
      {
        env: cleanClientEnv(),
      },
    );
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, 0, stderr);
    assert.ok(Buffer.concat(out).equals(small));
    assert.match(stderr, /MD5 verified -> stdout/);
  });

  it("decrypt refuses a legacy object unless --allow-plaintext, and leaves no file when data fails", async () => {
    const refused = await runToolCli([
      "decrypt",
      `s3://${bucket}/legacy.txt`,
      "-o",
      join(enc.work, "legacy.out"),
      ...s3Args(),
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /NotEncrypted: .*no s3proxy envelope/);
    const copied = await decryptTo("legacy.out", [
      `s3://${bucket}/legacy.txt`,
      "--allow-plaintext",
      ...s3Args(),
    ]);
    assert.equal(copied.data.toString(), "stored in the clear");

    // A downloaded copy with one flipped bit in part 4: exit 1, no output file, no temporary file.
    const { file, metadataFile } = await download("big.bin");
    const bytes = await readFile(file);
    const at = ciphertextLength(15 * MiB, 16) + 1000;
    bytes[at] = (bytes[at] ?? 0) ^ 0x40;
    await writeFile(file, bytes);
    const before = (await readdir(enc.work)).sort();
    const r = await runToolCli([
      "decrypt",
      file,
      "--metadata",
      metadataFile,
      "-o",
      join(enc.work, "bad.out"),
      ...keyArgs(),
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /DecryptAuthFailed/);
    assert.deepEqual((await readdir(enc.work)).sort(), before);
  });

  it("inspect prints the envelope as JSON and as text", async () => {
    const head = await enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: "big.bin" }));
    const json = await runToolCli(["inspect", `s3://${bucket}/big.bin`, "--json", ...rigAccessArgs(rig)]);
    assert.equal(json.code, 0, explainCommand(json));
    const report = JSON.parse(json.stdout) as Record<string, unknown>;
    const hdr = Buffer.from(head.Metadata!["s3proxy-hdr"]!, "base64url");
    assert.deepEqual(report, {
      object: `s3://${bucket}/big.bin`,
      etag: head.ETag,
      lastModified: head.LastModified!.toISOString(),
      contentType: head.ContentType,
      storedLength: ciphertextLength(big.length, 16),
      encrypted: true,
      envelope: {
        formatVersion: 1,
        suite: 1,
        suiteName: "AES-256-GCM records, HKDF-SHA256, 32-byte key commitment",
        segmentExponent: 16,
        segmentSize: 65536,
        layout: "multipart",
        salt: hdr.subarray(4, 36).toString("hex"),
        commitment: hdr.subarray(36).toString("hex"),
        kekRef: head.Metadata!["s3proxy-kek"],
        kekScheme: "aeskw",
        wrappedDekLength: 40,
        sealedMd5: false,
        metadataBytes: 66 + 91 + head.Metadata!["s3proxy-kek"]!.length + 54,
      },
      plaintextLength: big.length,
      recordCount: Math.ceil(big.length / 65536),
      multipart: {
        recordsPerPart: 80,
        recordsPerPartAuthenticated: false,
        partCount: 5,
        partPlaintextLength: 5 * MiB,
        lastPartPlaintextLength: big.length - 4 * 5 * MiB,
      },
    });
    const text = await runToolCli(["inspect", `s3://${bucket}/small with md5.bin`, "--verify", ...s3Args()]);
    assert.equal(text.code, 0, explainCommand(text));
    assert.match(text.stdout, /^layout: +single-part \(0\)$/m);
    assert.match(text.stdout, /^sealed MD5: +present/m);
    assert.match(text.stdout, new RegExp(`^plaintext MD5: +${md5(small)}$`, "m"));
    assert.match(text.stdout, /^DEK: +unwrapped, matches the key commitment$/m);
    const legacy = await runToolCli(["inspect", `s3://${bucket}/legacy.txt`, ...rigAccessArgs(rig)]);
    assert.equal(legacy.code, 0);
    assert.match(legacy.stdout, /^encryption: +none/m);
    const missing = await runToolCli(["inspect", `s3://${bucket}/nope`, ...rigAccessArgs(rig)]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /S3RequestFailed: HeadObject s3:\/\/.*\/nope failed \(404\)/);
  });
});
