/**
 * Acceptance (issue [3]): a stored object tampered with in radosgw (one flipped byte, truncated, envelope
 * edited) gives the client an error, never bytes that look like the object. Each object is written through the
 * encrypting proxy, then rewritten straight into radosgw with the change and the same (or edited) metadata, then
 * read through the proxy with @aws-sdk/client-s3 and with the AWS CLI v2.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { directClient, plaintext, startEncryptingProxy } from "../helpers/encryptedRig.ts";
import { proxiedS3Client } from "../helpers/proxiedS3Client.ts";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import { cleanClientEnv, runAws } from "../rig/clientEnv.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const bucket = uniqueBucket("enc-tamper");
const SIZE = 200_000;
let proxy: ProxyProcess;
let work: string;
let viaProxy: S3Client;
let direct: S3Client;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-tamper-"));
  proxy = await startEncryptingProxy(rig, work);
  viaProxy = await proxiedS3Client(rig, proxy);
  direct = await directClient(rig);
  await viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
});
after(async () => {
  viaProxy?.destroy();
  direct?.destroy();
  await proxy?.stop();
  await rm(work, { recursive: true, force: true });
});

type Stored = { body: Buffer; metadata: Record<string, string> };
type Tamper = (s: Stored) => Stored;

const flip =
  (at: (len: number) => number): Tamper =>
  (s) => {
    const body = Buffer.from(s.body);
    const i = at(body.length);
    body[i] = (body[i] ?? 0) ^ 0x01;
    return { ...s, body };
  };
const editMeta =
  (name: string, edit: (v: string) => string): Tamper =>
  (s) => ({ ...s, metadata: { ...s.metadata, [name]: edit(s.metadata[name] ?? "") } });
/** Changes one base64url character in the middle (a different but well-formed value). */
const twiddle = (v: string): string => {
  const i = Math.floor(v.length / 2);
  return v.slice(0, i) + (v[i] === "A" ? "B" : "A") + v.slice(i + 1);
};

const CASES: Record<string, Tamper> = {
  "one flipped byte in the first record": flip(() => 100),
  "one flipped byte in the last record": flip((len) => len - 5),
  "truncated by 10 bytes": (s) => ({ ...s, body: s.body.subarray(0, s.body.length - 10) }),
  "truncated to whole records": (s) => ({ ...s, body: s.body.subarray(0, 65568) }),
  "envelope header edited": editMeta("s3proxy-hdr", twiddle),
  "wrapped DEK edited": editMeta("s3proxy-dek", twiddle),
  "KEK reference names an unknown key": editMeta("s3proxy-kek", () => "aeskw:no-such-key"),
};

async function tampered(key: string, tamper: Tamper): Promise<Buffer> {
  const body = plaintext(SIZE);
  await viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  const head = await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const stored = { body: Buffer.from(await got.Body!.transformToByteArray()), metadata: head.Metadata ?? {} };
  const changed = tamper(stored);
  await direct.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: changed.body, Metadata: changed.metadata }),
  );
  return body;
}

void describe("tampered stored objects through the encrypting proxy", () => {
  for (const [name, tamper] of Object.entries(CASES)) {
    it(`${name}: the SDK gets an error, never the bytes`, async () => {
      const key = `sdk/${name}.bin`;
      const body = await tampered(key, tamper);
      let received: Buffer | undefined;
      try {
        const got = await viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        received = Buffer.from(await got.Body!.transformToByteArray());
      } catch {
        received = undefined;
      }
      assert.equal(received, undefined, `GET completed with ${received?.length} bytes`);
      assert.ok(body.length === SIZE);
    });
  }

  it("the AWS CLI fails the download and leaves no file of the object", async () => {
    const key = "cli/flipped.bin";
    await tampered(
      key,
      flip((len) => len - 5),
    );
    const dst = join(work, "cli-download.bin");
    const env = cleanClientEnv({
      AWS_ACCESS_KEY_ID: rig.accessKeyId,
      AWS_SECRET_ACCESS_KEY: rig.secretAccessKey,
      AWS_DEFAULT_REGION: rig.region,
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
      AWS_CA_BUNDLE: proxy.caFile,
    });
    const r = await runAws(["s3", "cp", `s3://${bucket}/${key}`, dst], { env, cli: "v2", timeoutMs: 60_000 });
    assert.notEqual(r.code, 0, `AWS CLI succeeded: ${r.stdout} ${r.stderr}`);
    const left = await readFile(dst).catch(() => undefined);
    assert.ok(left === undefined || left.length < SIZE, "a complete-looking file was written");
  });
});
