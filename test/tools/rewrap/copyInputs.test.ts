import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { HeadObjectCommandOutput } from "@aws-sdk/client-s3";
import {
  completeUploadInput,
  copyObjectInput,
  copySource,
  createUploadInput,
  preservedHeaders,
  taggingHeader,
  uploadPartCopyInput,
} from "../../../src/tools/rewrap/copyInputs.ts";

const head = {
  $metadata: {},
  ContentType: "text/csv",
  ContentEncoding: "gzip",
  ContentDisposition: 'attachment; filename="a.csv"',
  ContentLanguage: "de",
  CacheControl: "max-age=60",
  Expires: new Date("2030-01-01T00:00:00Z"),
  WebsiteRedirectLocation: "/other",
  StorageClass: "STANDARD_IA",
  ServerSideEncryption: "aws:kms",
  SSEKMSKeyId: "arn:aws:kms:eu-west-1:111122223333:key/x",
  BucketKeyEnabled: true,
  ObjectLockMode: "GOVERNANCE",
  ObjectLockRetainUntilDate: new Date("2031-01-01T00:00:00Z"),
  ObjectLockLegalHoldStatus: "ON",
  ETag: '"e"',
  ContentLength: 10,
  Metadata: { a: "1" },
} satisfies HeadObjectCommandOutput;

const target = {
  bucket: "b",
  key: "dir/a b+ü",
  etag: '"e"',
  metadata: { a: "1", "s3proxy-kek": "aeskw:n" },
  conditionalWrite: true,
};

describe("copyInputs", () => {
  it("sends every header REPLACE would drop", () => {
    const { $metadata: _, ETag: _e, ContentLength: _c, Metadata: _m, ...expected } = head;
    assert.deepEqual(preservedHeaders(head), expected);
    assert.deepEqual(preservedHeaders({ $metadata: {}, ServerSideEncryption: "AES256", SSEKMSKeyId: "x" }), {
      ServerSideEncryption: "AES256",
    });
  });

  it("copies onto itself: REPLACE, tags copied, conditional on the ETag read, source without version", () => {
    assert.equal(copySource("b", "dir/a b+ü"), "b/dir/a%20b%2B%C3%BC");
    const input = copyObjectInput(target, head);
    assert.equal(input.CopySource, "b/dir/a%20b%2B%C3%BC");
    assert.equal(input.CopySourceIfMatch, '"e"');
    assert.equal(input.IfMatch, '"e"');
    assert.equal(input.MetadataDirective, "REPLACE");
    assert.equal(input.TaggingDirective, "COPY");
    assert.deepEqual(input.Metadata, target.metadata);
    assert.equal(input.ContentType, "text/csv");
    assert.equal(copyObjectInput({ ...target, conditionalWrite: false }, head).IfMatch, undefined);
  });

  it("carries metadata, headers and tags into a multipart copy", () => {
    assert.equal(taggingHeader([]), undefined);
    assert.equal(
      taggingHeader([
        { Key: "a b", Value: "x&y" },
        { Key: "c", Value: "" },
      ]),
      "a%20b=x%26y&c=",
    );
    const create = createUploadInput(target, head, [{ Key: "t", Value: "1" }]);
    assert.equal(create.Tagging, "t=1");
    assert.equal(create.StorageClass, "STANDARD_IA");
    assert.deepEqual(create.Metadata, target.metadata);
    const part = uploadPartCopyInput(target, "U", 2, 100, 200);
    assert.equal(part.CopySourceRange, "bytes=100-199");
    assert.equal(part.CopySourceIfMatch, '"e"');
    assert.equal(part.PartNumber, 2);
    const done = completeUploadInput(target, "U", [{ PartNumber: 1, ETag: '"p"' }]);
    assert.equal(done.IfMatch, '"e"');
    assert.deepEqual(done.MultipartUpload?.Parts, [{ PartNumber: 1, ETag: '"p"' }]);
  });
});
