/**
 * Acceptance (issue [3]): `@aws-sdk/client-s3` v3 with its default checksum settings through the encrypting
 * proxy against radosgw. The SDK addresses `bucket.s3.us-east-1.amazonaws.com` and reaches it through an
 * `https-proxy-agent` (Node's https ignores HTTPS_PROXY) trusting only the proxy's CA:
 * - Buffer bodies (full SHA-256 payload hash + x-amz-checksum-crc32 header) and stream bodies with a
 *   ContentLength (aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer) of edge sizes go up;
 * - GetObject with `ChecksumMode: "ENABLED"` (the SDK validates any x-amz-checksum-* it gets back) returns the
 *   same bytes;
 * - the objects read directly from radosgw are ciphertext.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import {
  SIZES,
  assertStoredCiphertext,
  directClient,
  plaintext,
  proxiedClient,
  startEncryptingProxy,
} from "../helpers/encryptedRig.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
let proxy: ProxyProcess;
let work: string;
let viaProxy: S3Client;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-sdkv3-"));
  proxy = await startEncryptingProxy(rig, work);
  viaProxy = await proxiedClient(rig, proxy);
});
after(async () => {
  viaProxy?.destroy();
  await proxy?.stop();
  await rm(work, { recursive: true, force: true });
});

void describe("@aws-sdk/client-s3 v3 through the encrypting proxy", () => {
  const bucket = uniqueBucket("enc-sdkv3");
  before(async () => {
    await viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  for (const kind of ["buffer", "stream"] as const) {
    it(`puts ${kind} bodies of 0 B .. 7 MiB, gets them back with checksum mode on, radosgw stores ciphertext`, async () => {
      const direct = await directClient(rig);
      try {
        for (const size of SIZES) {
          const body = plaintext(size);
          const key = `${kind}/obj-${size} ✓.bin`;
          await viaProxy.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: kind === "buffer" ? body : Readable.from([body]),
              ContentLength: kind === "stream" ? size : undefined,
              Metadata: { note: "sdk-v3" },
            }),
          );
          const got = await viaProxy.send(
            new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }),
          );
          const bytes = Buffer.from(await got.Body!.transformToByteArray());
          assert.ok(bytes.equals(body), `${kind} ${size} B: downloaded bytes differ (got ${bytes.length} B)`);
          assert.equal(got.ContentLength, size);
          assert.equal(got.Metadata?.note, "sdk-v3");
          const head = await viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
          assert.equal(head.ContentLength, size, `${kind} ${size} B: HEAD length`);
          await assertStoredCiphertext(direct, bucket, key, body);
        }
      } finally {
        direct.destroy();
      }
      if (kind === "stream") {
        // The stream bodies really went up as aws-chunked with a CRC trailer, decoded and verified by the proxy.
        assert.ok(
          proxy.logs.some((l) => l.includes('"framing":"aws-chunked"') && l.includes('"checksum":"CRC')),
          "no aws-chunked upload with a CRC trailer seen from the SDK",
        );
      }
    });
  }

  it("puts with every flexible checksum algorithm (header and trailer) and reads back byte-identically", async () => {
    const direct = await directClient(rig);
    try {
      for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const) {
        for (const kind of ["buffer", "stream"] as const) {
          const body = plaintext(65537);
          const key = `algo/${algorithm}-${kind}.bin`;
          await viaProxy.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: kind === "buffer" ? body : Readable.from([body]),
              ContentLength: body.length,
              ChecksumAlgorithm: algorithm,
            }),
          );
          const got = await viaProxy.send(
            new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }),
          );
          const bytes = Buffer.from(await got.Body!.transformToByteArray());
          assert.ok(bytes.equals(body), `${algorithm} ${kind}: downloaded bytes differ`);
          await assertStoredCiphertext(direct, bucket, key, body);
        }
      }
    } finally {
      direct.destroy();
    }
  });
});
