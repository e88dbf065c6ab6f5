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
import { Readable } from "node:stream";
import { before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { SIZES, assertStoredCiphertext, plaintext } from "../helpers/encryptedRig.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const enc = withEncryptingProxy(rig, "sdkv3");

void describe("@aws-sdk/client-s3 v3 through the encrypting proxy", () => {
  const bucket = uniqueBucket("enc-sdkv3");
  before(async () => {
    await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  for (const kind of ["buffer", "stream"] as const) {
    it(`puts ${kind} bodies of 0 B .. 7 MiB, gets them back with checksum mode on, radosgw stores ciphertext`, async () => {
      for (const size of SIZES) {
        const body = plaintext(size);
        const key = `${kind}/obj-${size} ✓.bin`;
        await enc.viaProxy.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: kind === "buffer" ? body : Readable.from([body]),
            ContentLength: kind === "stream" ? size : undefined,
            Metadata: { note: "sdk-v3" },
          }),
        );
        const got = await enc.viaProxy.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }),
        );
        const bytes = Buffer.from(await got.Body!.transformToByteArray());
        assert.ok(bytes.equals(body), `${kind} ${size} B: downloaded bytes differ (got ${bytes.length} B)`);
        assert.equal(got.ContentLength, size);
        assert.equal(got.Metadata?.note, "sdk-v3");
        const head = await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        assert.equal(head.ContentLength, size, `${kind} ${size} B: HEAD length`);
        await assertStoredCiphertext(enc.direct, bucket, key, body);
      }
      if (kind === "stream") {
        // The stream bodies really went up as aws-chunked with a CRC trailer, decoded and verified by the proxy.
        assert.ok(
          enc.proxy.logs.some((l) => l.includes('"framing":"aws-chunked"') && l.includes('"checksum":"CRC')),
          "no aws-chunked upload with a CRC trailer seen from the SDK",
        );
      }
    });
  }

  it("puts with every flexible checksum algorithm (header and trailer) and reads back byte-identically", async () => {
    for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const) {
      for (const kind of ["buffer", "stream"] as const) {
        const body = plaintext(65537);
        const key = `algo/${algorithm}-${kind}.bin`;
        await enc.viaProxy.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: kind === "buffer" ? body : Readable.from([body]),
            ContentLength: body.length,
            ChecksumAlgorithm: algorithm,
          }),
        );
        const got = await enc.viaProxy.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }),
        );
        const bytes = Buffer.from(await got.Body!.transformToByteArray());
        assert.ok(bytes.equals(body), `${algorithm} ${kind}: downloaded bytes differ`);
        await assertStoredCiphertext(enc.direct, bucket, key, body);
      }
    }
  });
});
