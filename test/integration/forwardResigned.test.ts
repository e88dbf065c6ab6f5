/**
 * Every intercepted request reaches S3 under the proxy's credentials, forwarded (no-data) operations included:
 * an application whose own credentials radosgw has never heard of creates a bucket, writes, lists, tags and
 * deletes (DeleteObjects with its checksummed XML body) through the encrypting proxy. Straight to radosgw the
 * same credentials are refused, which shows the requests were re-signed rather than relayed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from "@aws-sdk/client-s3";
import { directClient, plaintext } from "../helpers/encryptedRig.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const application = { ...rig, accessKeyId: "AKIDAPPLICATIONONLY", secretAccessKey: "not-a-radosgw-secret" };
const enc = withEncryptingProxy(rig, "forward", { clientCredentials: application });

void describe("forwarded operations are re-signed with the proxy's credentials", () => {
  it("a client with credentials unknown upstream manages a bucket and its objects", async () => {
    const bucket = uniqueBucket("enc-forward");
    await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
    await enc.viaProxy.send(new HeadBucketCommand({ Bucket: bucket }));
    const body = plaintext(70_000);
    for (const key of ["a.bin", "b.bin", "dir/c ✓.bin"]) {
      await enc.viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    }
    const listed = await enc.viaProxy.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key).sort(), ["a.bin", "b.bin", "dir/c ✓.bin"]);

    await enc.viaProxy.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: "a.bin",
        Tagging: { TagSet: [{ Key: "team", Value: "platform" }] },
      }),
    );
    const tags = await enc.viaProxy.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "a.bin" }));
    assert.deepEqual(tags.TagSet, [{ Key: "team", Value: "platform" }]);
    const got = await enc.viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: "dir/c ✓.bin" }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body));

    const deleted = await enc.viaProxy.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "a.bin" }, { Key: "b.bin" }] } }),
    );
    assert.equal(deleted.Errors, undefined);
    assert.equal(deleted.Deleted?.length, 2);
    await enc.viaProxy.send(new DeleteObjectCommand({ Bucket: bucket, Key: "dir/c ✓.bin" }));
    assert.equal((await enc.viaProxy.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount, 0);
    await enc.viaProxy.send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  it("the same credentials straight to radosgw are refused", async () => {
    const direct: S3Client = await directClient(application);
    try {
      await assert.rejects(
        direct.send(new ListObjectsV2Command({ Bucket: uniqueBucket("nope") })),
        (err: Error) => /InvalidAccessKeyId|AccessDenied|SignatureDoesNotMatch/.test(err.name),
      );
    } finally {
      direct.destroy();
    }
  });
});
