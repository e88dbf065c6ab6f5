/**
 * Acceptance (issue [5]): the proxy process with `--kms-key-id` (moto's KMS via --kms-endpoint) in front of
 * radosgw. Objects round-trip and their envelope names `kms:<key ARN>`. Then KMS goes down (moto stopped):
 * - an object whose DEK the proxy unwrapped before is still served, from the DEK cache (intended, for at most
 *   --dek-cache-ttl: docs/KEYS.md "Outages");
 * - GET of an object whose DEK is not cached answers 503 ServiceUnavailable with S3's XML error and not one
 *   byte of the object; PUT answers 503 and stores nothing;
 * - the proxy keeps running.
 * Raw answers are read with presigned URLs through the proxy's CONNECT port (the SDK would retry and parse).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { readFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import {
  assertStoredCiphertext,
  CANARY,
  directClient,
  plaintext,
  startEncryptingProxy,
} from "../helpers/encryptedRig.ts";
import { startMoto, type MotoServer } from "../helpers/motoServer.ts";
import { proxiedS3Client } from "../helpers/proxiedS3Client.ts";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import { s3Error } from "../helpers/s3Error.ts";
import { sendRequest, type SimpleResponse } from "../helpers/sendRequest.ts";
import { TrustingProxyAgent } from "../helpers/trustingProxyAgent.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const bucket = uniqueBucket("enc-kms");
const host = `${bucket}.s3.us-east-1.amazonaws.com`;
// The proxy's KMS client takes the AWS default credential chain; moto accepts any key.
const KMS_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };

let moto: MotoServer;
let keyArn: string;
let work: string;
let proxy: ProxyProcess;
let viaProxy: S3Client;
let direct: S3Client;
let agent: TrustingProxyAgent;

const signer = new SignatureV4({
  service: "s3",
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDKMSTESTAPP", secretAccessKey: "application-secret" },
  sha256: Hash.bind(null, "sha256"),
  uriEscapePath: false,
});

/** One request through the proxy with a presigned URL: the raw status, headers and body. */
async function raw(method: string, key: string, body?: Buffer): Promise<SimpleResponse> {
  const signed = await signer.presign(
    new HttpRequest({ method, protocol: "https:", hostname: host, path: `/${key}`, headers: { host } }),
    { expiresIn: 300 },
  );
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  const headers = body === undefined ? {} : { "content-length": body.length };
  return sendRequest(request({ host, port: 443, method, path: `/${key}?${query}`, agent, headers }), body);
}

function assertS3Error(res: SimpleResponse, status: number, code: string): void {
  const text = res.body.toString("utf8");
  assert.equal(res.status, status, text);
  assert.match(String(res.headers["content-type"]), /xml/);
  assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>[A-Za-z]+<\/Code>/);
  assert.match(text, new RegExp(`<Code>${code}</Code>`));
  assert.match(text, /<\/Error>$/, "nothing but the error document");
  assert.equal(res.body.indexOf(CANARY), -1);
}

before(async () => {
  moto = await startMoto();
  const admin = new KMSClient({ region: "us-east-1", endpoint: moto.endpoint, credentials: KMS_CREDENTIALS });
  const created = await admin.send(new CreateKeyCommand({ Description: "s3proxy integration KEK" }));
  admin.destroy();
  keyArn = created.KeyMetadata!.Arn!;
  process.env.AWS_ACCESS_KEY_ID = KMS_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = KMS_CREDENTIALS.secretAccessKey;
  work = await mkdtemp(join(tmpdir(), "s3proxy-kms-"));
  proxy = await startEncryptingProxy(rig, work, {
    extraArgs: ["--kms-key-id", keyArn, "--kms-endpoint", moto.endpoint],
  });
  viaProxy = await proxiedS3Client(rig, proxy);
  direct = await directClient(rig);
  agent = new TrustingProxyAgent(`http://127.0.0.1:${proxy.port}`, await readFile(proxy.caFile, "utf8"));
  await viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
});

after(async () => {
  agent?.destroy();
  viaProxy?.destroy();
  direct?.destroy();
  await proxy?.stop();
  await moto?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function put(key: string, body: Buffer): Promise<void> {
  await viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

async function get(key: string): Promise<Buffer> {
  const got = await viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

void describe("the proxy with an AWS KMS key (moto)", () => {
  const hot = plaintext(150_000);
  const cold = plaintext(70_000);

  it("wraps DEKs with KMS: objects round-trip and their envelope names kms:<key ARN>", async () => {
    const loaded = proxy.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === "encryption keys loaded");
    assert.equal(loaded?.scheme, "kms");
    assert.equal(loaded?.activeKek, keyArn);

    await put("hot.bin", hot);
    await put("cold.bin", cold);
    assert.ok((await get("hot.bin")).equals(hot));
    const head = await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: "hot.bin" }));
    assert.equal(head.Metadata?.["s3proxy-kek"], `kms:${keyArn}`);
    const wrapped = Buffer.from(head.Metadata?.["s3proxy-dek"] ?? "", "base64url");
    assert.ok(wrapped.length > 40 && wrapped.length <= 512, `wrapped DEK of ${wrapped.length} bytes`);
    await assertStoredCiphertext(direct, bucket, "hot.bin", hot);
    await assertStoredCiphertext(direct, bucket, "cold.bin", cold);
  });

  it("KMS down: hot objects are served from the DEK cache, cold GET and any PUT answer 503", async () => {
    await moto.stop();

    const served = await raw("GET", "hot.bin");
    assert.equal(served.status, 200, served.body.toString());
    assert.ok(served.body.equals(hot), "the hot object, from the cached DEK");

    const refused = await raw("GET", "cold.bin");
    assertS3Error(refused, 503, "ServiceUnavailable");
    assert.ok(refused.body.length < 1024, `${refused.body.length} bytes: only the error document`);
    assert.equal((await raw("HEAD", "cold.bin")).status, 503);

    const body = plaintext(20_000);
    assertS3Error(await raw("PUT", "written-during-outage.bin", body), 503, "ServiceUnavailable");
    const stored = await s3Error(
      direct.send(new HeadObjectCommand({ Bucket: bucket, Key: "written-during-outage.bin" })),
    );
    assert.equal(stored.$metadata.httpStatusCode, 404, "nothing was stored");

    // An SDK sees S3's retryable code (after its own retries, which meet the same outage).
    const sdk = await s3Error(viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: "cold.bin" })));
    assert.equal(sdk.name, "ServiceUnavailable");
    assert.equal(sdk.$metadata.httpStatusCode, 503);

    // Still running, still serving.
    assert.ok((await raw("GET", "hot.bin")).body.equals(hot));
    const logged = proxy.logs.filter((l) => l.includes("KeyProviderUnavailable"));
    assert.ok(logged.length > 0, "the outage is in the proxy's log");
  });
});
