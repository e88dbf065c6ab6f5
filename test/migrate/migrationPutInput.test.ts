/** The in-place PutObject of `s3proxy migrate`: what it carries over from the stored object, and what not. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HeadObjectCommandOutput } from "@aws-sdk/client-s3";
import { migratedMetadata, migrationPutInput } from "../../src/migrate/migrationPutInput.ts";
import { isToolError } from "./toolError.ts";

const envelope = {
  "x-amz-meta-s3proxy-hdr": "AAAA",
  "x-amz-meta-s3proxy-kek": "aeskw:k1",
  "x-amz-meta-s3proxy-dek": "BBBB",
};
const head: HeadObjectCommandOutput = {
  $metadata: {},
  ETag: '"0123abcd"',
  ContentLength: 46,
  ContentType: "text/plain",
  ContentEncoding: "gzip",
  ContentDisposition: "attachment",
  ContentLanguage: "de",
  CacheControl: "no-cache",
  StorageClass: "STANDARD_IA",
  Metadata: { owner: "alice", "constellation-dek": "00".repeat(40) },
};

describe("migrationPutInput", () => {
  it("keeps user metadata and content headers, drops constellation-dek, adds the envelope, pins the ETag bare", () => {
    const input = migrationPutInput({
      bucket: "b",
      key: "k",
      head,
      etag: head.ETag ?? "",
      tagging: "a=1&b=two%20words",
      body: Buffer.alloc(3),
      envelope,
    });
    assert.equal(input.IfMatch, "0123abcd");
    assert.deepEqual(input.Metadata, {
      owner: "alice",
      "s3proxy-hdr": "AAAA",
      "s3proxy-kek": "aeskw:k1",
      "s3proxy-dek": "BBBB",
    });
    assert.equal(input.ContentType, "text/plain");
    assert.equal(input.ContentEncoding, "gzip");
    assert.equal(input.ContentDisposition, "attachment");
    assert.equal(input.ContentLanguage, "de");
    assert.equal(input.CacheControl, "no-cache");
    assert.equal(input.StorageClass, "STANDARD_IA");
    assert.equal(input.Tagging, "a=1&b=two%20words");
    assert.equal(input.ContentLength, 3);
    assert.equal(input.ServerSideEncryption, undefined, "SSE-S3 is the bucket's; only SSE-KMS is carried");
    assert.equal(input.ChecksumAlgorithm, undefined);
  });

  it("carries SSE-KMS and object lock (with the checksum S3 then requires), omits empty tagging", () => {
    const input = migrationPutInput({
      bucket: "b",
      key: "k",
      head: {
        ...head,
        StorageClass: "STANDARD",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: "arn:aws:kms:eu-west-1:1:key/x",
        BucketKeyEnabled: true,
        ObjectLockMode: "GOVERNANCE",
        ObjectLockRetainUntilDate: new Date("2030-01-01T00:00:00Z"),
      },
      etag: "etag",
      tagging: "",
      body: Buffer.alloc(0),
      envelope,
    });
    assert.equal(input.StorageClass, undefined);
    assert.equal(input.ServerSideEncryption, "aws:kms");
    assert.equal(input.SSEKMSKeyId, "arn:aws:kms:eu-west-1:1:key/x");
    assert.equal(input.BucketKeyEnabled, true);
    assert.equal(input.ObjectLockMode, "GOVERNANCE");
    assert.equal(input.ChecksumAlgorithm, "CRC32");
    assert.equal(input.Tagging, undefined);
  });

  it("refuses metadata that no longer fits S3's 2 KB with the envelope", () => {
    assert.throws(
      () => migratedMetadata({ big: "x".repeat(2000) }, envelope),
      (e) => isToolError(e, "MetadataTooLarge"),
    );
  });
});
