/**
 * Acceptance (issue [4]): versioned buckets through the encrypting proxy against radosgw. Every version is its
 * own encrypted object with its own envelope: `versionId` on GET and HEAD selects the version and decrypts it,
 * DELETE with `versionId` removes exactly that version, a plain DELETE leaves a delete marker that GET reports
 * as S3 does, and the older versions stay readable.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { assertStoredCiphertext, plaintext } from "../helpers/encryptedRig.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const bucket = uniqueBucket("enc-versions");
const enc = withEncryptingProxy(rig, "versions");

before(async () => {
  await enc.ready;
  await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
  await enc.viaProxy.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }),
  );
});

async function read(key: string, versionId?: string): Promise<Buffer> {
  const got = await enc.viaProxy.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
  );
  return Buffer.from(await got.Body!.transformToByteArray());
}

void describe("versioned bucket through the encrypting proxy", () => {
  it("GET/HEAD/DELETE by versionId decrypt and remove exactly that version", async () => {
    const key = "doc.bin";
    const v1Body = plaintext(70_000);
    const v2Body = plaintext(1_000);
    const v1 = await enc.viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: v1Body }));
    const v2 = await enc.viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: v2Body }));
    assert.ok(v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId);

    assert.ok((await read(key)).equals(v2Body), "latest version");
    assert.ok((await read(key, v1.VersionId)).equals(v1Body), "older version by versionId");
    const head1 = await enc.viaProxy.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: v1.VersionId }),
    );
    assert.equal(head1.ContentLength, v1Body.length);
    assert.equal(head1.VersionId, v1.VersionId);
    assert.equal(head1.ETag, v1.ETag, "HEAD of a version shows the ETag its PUT showed");

    // Each version is stored encrypted under its own envelope.
    const d1 = await enc.direct.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: v1.VersionId }),
    );
    const d2 = await enc.direct.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: v2.VersionId }),
    );
    assert.notEqual(d1.Metadata?.["s3proxy-hdr"], d2.Metadata?.["s3proxy-hdr"]);
    await assertStoredCiphertext(enc.direct, bucket, key, v2Body);

    // A plain DELETE adds a delete marker: the key is gone, its versions are not.
    const marker = await enc.viaProxy.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(marker.DeleteMarker, true);
    await assert.rejects(read(key), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.$metadata?.httpStatusCode, 404);
      return true;
    });
    assert.ok((await read(key, v2.VersionId)).equals(v2Body));

    // DELETE with versionId removes that version only.
    await enc.viaProxy.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: v1.VersionId }));
    await assert.rejects(read(key, v1.VersionId));
    assert.ok((await read(key, v2.VersionId)).equals(v2Body));
  });
});
