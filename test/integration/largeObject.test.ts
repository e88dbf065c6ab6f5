/**
 * Acceptance (issue [3]): a 1 GiB single PutObject and GetObject through the encrypting proxy (its own process)
 * against radosgw, with bounded memory. The body is a stream (the SDK sends it aws-chunked with a CRC32
 * trailer, which the proxy decodes and verifies before the upload can complete); the download is hashed as it
 * arrives. Neither side holds the object: the proxy's peak RSS (VmHWM) must stay under 150 MiB, and the figure
 * is recorded in the test output. radosgw's memstore holds the ciphertext; the object is deleted afterwards.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { ciphertextLength } from "../../src/crypto/index.ts";
import { patternSha256, patternStream, sha256Of } from "../helpers/patternStream.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const SIZE = 1024 ** 3;
const RSS_LIMIT_MIB = 150;
const rig = rigFromEnv();
const bucket = uniqueBucket("enc-large");
const key = "one-gib.bin";
const enc = withEncryptingProxy(rig, "large");

before(async () => {
  await enc.ready;
  await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
});

void describe("1 GiB through the encrypting proxy", () => {
  it("PUT and GET 1 GiB byte-identically with the proxy's peak RSS bounded", async (t) => {
    // The GiB goes again when the test ends, before the proxy and clients are stopped.
    t.after(async () => {
      await enc.direct.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    });
    const idleMiB = (await enc.proxy.peakRssKiB()) / 1024;
    const expected = await patternSha256("large", SIZE);
    await enc.viaProxy.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: patternStream("large", SIZE),
        ContentLength: SIZE,
      }),
    );
    const afterPutMiB = (await enc.proxy.peakRssKiB()) / 1024;
    const stored = await enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(stored.ContentLength, ciphertextLength(SIZE, 16));
    assert.ok(stored.Metadata?.["s3proxy-hdr"]);

    const got = await enc.viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(got.ContentLength, SIZE);
    const read = await sha256Of(got.Body as AsyncIterable<Buffer>);
    assert.equal(read.bytes, SIZE);
    assert.equal(read.hex, expected);
    const peakMiB = (await enc.proxy.peakRssKiB()) / 1024;
    t.diagnostic(
      `proxy RSS: idle ${idleMiB.toFixed(1)} MiB, peak after 1 GiB PUT ${afterPutMiB.toFixed(1)} MiB, ` +
        `after 1 GiB GET ${peakMiB.toFixed(1)} MiB`,
    );
    assert.ok(peakMiB < RSS_LIMIT_MIB, `proxy peak RSS ${peakMiB.toFixed(1)} MiB >= ${RSS_LIMIT_MIB} MiB`);
  });
});
