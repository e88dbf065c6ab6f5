/**
 * Acceptance (issue [3]): a 1 GiB single PutObject and GetObject through the encrypting proxy (its own process)
 * against radosgw, with bounded memory. The body is a stream (the SDK sends it aws-chunked with a CRC32
 * trailer, which the proxy decodes and verifies before the upload can complete); the download is hashed as it
 * arrives. Neither side holds the object: the proxy's peak RSS (VmHWM) must stay under 150 MiB, and the figure
 * is recorded in the test output. radosgw's memstore holds the ciphertext; the object is deleted afterwards.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { ciphertextLength } from "../../src/crypto/index.ts";
import { directClient, proxiedClient, startEncryptingProxy } from "../helpers/encryptedRig.ts";
import { patternSha256, patternStream, sha256Of } from "../helpers/patternStream.ts";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const SIZE = 1024 ** 3;
const RSS_LIMIT_MIB = 150;
const rig = rigFromEnv();
const bucket = uniqueBucket("enc-large");
const key = "one-gib.bin";
let proxy: ProxyProcess;
let work: string;
let viaProxy: S3Client;
let direct: S3Client;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-large-"));
  proxy = await startEncryptingProxy(rig, work);
  viaProxy = await proxiedClient(rig, proxy);
  direct = await directClient(rig);
  await viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
});
after(async () => {
  await direct?.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
  viaProxy?.destroy();
  direct?.destroy();
  await proxy?.stop();
  await rm(work, { recursive: true, force: true });
});

void describe("1 GiB through the encrypting proxy", () => {
  it("PUT and GET 1 GiB byte-identically with the proxy's peak RSS bounded", async (t) => {
    const idleMiB = (await proxy.peakRssKiB()) / 1024;
    const expected = await patternSha256("large", SIZE);
    await viaProxy.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: patternStream("large", SIZE),
        ContentLength: SIZE,
      }),
    );
    const afterPutMiB = (await proxy.peakRssKiB()) / 1024;
    const stored = await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(stored.ContentLength, ciphertextLength(SIZE, 16));
    assert.ok(stored.Metadata?.["s3proxy-hdr"]);

    const got = await viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(got.ContentLength, SIZE);
    const read = await sha256Of(got.Body as AsyncIterable<Buffer>);
    assert.equal(read.bytes, SIZE);
    assert.equal(read.hex, expected);
    const peakMiB = (await proxy.peakRssKiB()) / 1024;
    t.diagnostic(
      `proxy RSS: idle ${idleMiB.toFixed(1)} MiB, peak after 1 GiB PUT ${afterPutMiB.toFixed(1)} MiB, ` +
        `after 1 GiB GET ${peakMiB.toFixed(1)} MiB`,
    );
    assert.ok(peakMiB < RSS_LIMIT_MIB, `proxy peak RSS ${peakMiB.toFixed(1)} MiB >= ${RSS_LIMIT_MIB} MiB`);
  });
});
