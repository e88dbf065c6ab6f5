/**
 * Acceptance (issue [4], copies): CopyObject and UploadPartCopy through the encrypting proxy against radosgw
 * (src/pipeline/copyObjectStep.ts, copyReencryptStep.ts, multipartPartCopyStep.ts; docs/OPERATIONS.md "Copies"):
 * - COPY keeps the envelope, REPLACE keeps it while replacing the user's metadata, across buckets too, and a
 *   copy onto itself with REPLACE; every copy reads back as the plaintext and is stored as ciphertext;
 * - the copy of an object with a sealed MD5 shows the same client ETag; copy-source conditions compare with the
 *   client-visible ETag; metadata that no longer fits next to the envelope fails clearly;
 * - a plaintext (legacy) source is re-encrypted, with its metadata and tags, never copied as plaintext;
 * - UploadPartCopy re-encrypts the copied ranges (SDK, from a legacy source), and `aws s3 cp s3://… s3://…`
 *   (CLI v2) copies 20 MiB with UploadPartCopy and 1 MiB with CopyObject, byte-identically;
 * - a versioned bucket: a copy of an older version by versionId reads back as that version.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { assertStoredCiphertext, plaintext } from "../helpers/encryptedRig.ts";
import { proxiedAwsEnv } from "../helpers/proxiedAwsEnv.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { runAws, type AwsResult } from "../rig/clientEnv.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const MiB = 1024 * 1024;
const rig = rigFromEnv();
const bucket = uniqueBucket("enc-copy");
const other = uniqueBucket("enc-copy-dst");
const enc = withEncryptingProxy(rig, "copy");

const md5 = (b: Buffer): Buffer => createHash("md5").update(b).digest();

before(async () => {
  await enc.ready;
  await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
  await enc.viaProxy.send(new CreateBucketCommand({ Bucket: other }));
});

async function read(b: string, key: string, versionId?: string): Promise<Buffer> {
  const got = await enc.viaProxy.send(new GetObjectCommand({ Bucket: b, Key: key, VersionId: versionId }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

/** The envelope header (s3proxy-hdr) as radosgw stores it. */
async function storedHdr(b: string, key: string): Promise<string | undefined> {
  return (await enc.direct.send(new HeadObjectCommand({ Bucket: b, Key: key }))).Metadata?.["s3proxy-hdr"];
}

/** The HTTP status and S3 error code of a failed SDK call (200 when it succeeds). */
async function outcome(p: Promise<unknown>): Promise<{ status: number; code: string | undefined }> {
  try {
    await p;
    return { status: 200, code: undefined };
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return { status: e.$metadata?.httpStatusCode ?? -1, code: e.name };
  }
}

async function putEncrypted(key: string, body: Buffer, extra: Record<string, unknown> = {}): Promise<string> {
  const put = await enc.viaProxy.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }),
  );
  return put.ETag!;
}

void describe("CopyObject through the encrypting proxy", () => {
  it("COPY keeps the envelope and the metadata; the copy reads back as the plaintext", async () => {
    const body = plaintext(200_000);
    await putEncrypted("copy/src.bin", body, { Metadata: { colour: "blue" }, ContentType: "text/x-test" });
    const copied = await enc.viaProxy.send(
      new CopyObjectCommand({ Bucket: bucket, Key: "copy/dst.bin", CopySource: `${bucket}/copy/src.bin` }),
    );
    assert.match(copied.CopyObjectResult?.ETag ?? "", /^"[0-9a-f]{32}-1"$/, "not-an-MD5 ETag of the copy");
    assert.ok(copied.CopyObjectResult?.LastModified instanceof Date);
    assert.equal(copied.CopyObjectResult?.ChecksumCRC32, undefined);
    assert.ok((await read(bucket, "copy/dst.bin")).equals(body));
    const head = await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: "copy/dst.bin" }));
    assert.equal(head.Metadata?.["colour"], "blue");
    assert.equal(head.ContentType, "text/x-test");
    assert.equal(head.ETag, copied.CopyObjectResult?.ETag, "HEAD shows the ETag the copy answered");
    assert.equal(head.Metadata?.["s3proxy-hdr"], undefined, "envelope hidden from the client");
    assert.equal(await storedHdr(bucket, "copy/dst.bin"), await storedHdr(bucket, "copy/src.bin"));
    await assertStoredCiphertext(enc.direct, bucket, "copy/dst.bin", body);
  });

  it("REPLACE replaces the user's metadata and keeps the envelope", async () => {
    const body = plaintext(70_000);
    await putEncrypted("replace/src.bin", body, { Metadata: { old: "1" } });
    await enc.viaProxy.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "replace/dst.bin",
        CopySource: `${bucket}/replace/src.bin`,
        MetadataDirective: "REPLACE",
        Metadata: { fresh: "yes" },
        ContentType: "application/x-new",
      }),
    );
    const head = await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: "replace/dst.bin" }));
    assert.deepEqual(head.Metadata, { fresh: "yes" });
    assert.equal(head.ContentType, "application/x-new");
    assert.equal(head.ContentLength, body.length);
    const stored = await enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: "replace/dst.bin" }));
    assert.ok(
      stored.Metadata?.["s3proxy-hdr"] && stored.Metadata["s3proxy-kek"] && stored.Metadata["s3proxy-dek"],
    );
    assert.equal(stored.Metadata["fresh"], "yes");
    assert.ok((await read(bucket, "replace/dst.bin")).equals(body));
  });

  it("copies across buckets", async () => {
    const body = plaintext(150_000);
    await putEncrypted("cross/src.bin", body);
    await enc.viaProxy.send(
      new CopyObjectCommand({ Bucket: other, Key: "cross/dst.bin", CopySource: `${bucket}/cross/src.bin` }),
    );
    assert.ok((await read(other, "cross/dst.bin")).equals(body));
    await assertStoredCiphertext(enc.direct, other, "cross/dst.bin", body);
    await enc.viaProxy.send(
      new CopyObjectCommand({
        Bucket: other,
        Key: "cross/replaced.bin",
        CopySource: `/${bucket}/cross/src.bin`,
        MetadataDirective: "REPLACE",
        Metadata: { where: "other" },
      }),
    );
    assert.ok((await read(other, "cross/replaced.bin")).equals(body));
  });

  it("a copy of an object with a sealed MD5 shows the same client ETag", async () => {
    const body = plaintext(90_000);
    const etag = `"${md5(body).toString("hex")}"`;
    assert.equal(
      await putEncrypted("sealed/src.bin", body, { ContentMD5: md5(body).toString("base64") }),
      etag,
    );
    const copied = await enc.viaProxy.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "sealed/dst.bin",
        CopySource: `${bucket}/sealed/src.bin`,
      }),
    );
    assert.equal(copied.CopyObjectResult?.ETag, etag);
    const replaced = await enc.viaProxy.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "sealed/replaced.bin",
        CopySource: `${bucket}/sealed/src.bin`,
        MetadataDirective: "REPLACE",
      }),
    );
    assert.equal(replaced.CopyObjectResult?.ETag, etag, "REPLACE keeps the sealed MD5");
    assert.equal(
      (await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: "sealed/replaced.bin" }))).ETag,
      etag,
    );
    const stored = await enc.direct.send(
      new HeadObjectCommand({ Bucket: bucket, Key: "sealed/replaced.bin" }),
    );
    assert.ok(stored.Metadata?.["s3proxy-md5"]);
    assert.notEqual(stored.ETag, etag);
  });

  it("copy-source conditions compare with the client-visible ETag", async () => {
    const body = plaintext(5000);
    const etag = await putEncrypted("cond/src.bin", body, { ContentMD5: md5(body).toString("base64") });
    const storedEtag = (await enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: "cond/src.bin" })))
      .ETag;
    const copy = (extra: Record<string, unknown>) =>
      outcome(
        enc.viaProxy.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: "cond/dst.bin",
            CopySource: `${bucket}/cond/src.bin`,
            ...extra,
          }),
        ),
      );
    assert.equal((await copy({ CopySourceIfMatch: etag })).status, 200);
    assert.equal((await copy({ CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' })).status, 412);
    assert.equal(
      (await copy({ CopySourceIfMatch: storedEtag })).status,
      412,
      "the ciphertext's ETag means nothing",
    );
    assert.equal((await copy({ CopySourceIfNoneMatch: etag })).status, 412);
    assert.equal((await copy({ CopySourceIfNoneMatch: storedEtag })).status, 200);
    assert.equal(
      (await copy({ CopySourceIfUnmodifiedSince: new Date(Date.now() - 86_400_000) })).status,
      412,
    );
    assert.equal((await copy({ CopySourceIfModifiedSince: new Date(Date.now() + 3_600_000) })).status, 412);
    assert.equal(
      (
        await copy({
          CopySourceIfMatch: etag,
          CopySourceIfUnmodifiedSince: new Date(Date.now() - 86_400_000),
        })
      ).status,
      200,
      "a true if-match makes a false if-unmodified-since irrelevant (S3)",
    );
    // Destination conditions (If-Match) name the destination's client-visible ETag too.
    const dstEtag = (await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: "cond/dst.bin" })))
      .ETag;
    assert.equal((await copy({ IfMatch: '"0123456789abcdef0123456789abcdef"' })).status, 412);
    assert.equal((await copy({ IfMatch: dstEtag })).status, 200);
  });

  it("copy onto itself with REPLACE changes the metadata and keeps the envelope", async () => {
    const body = plaintext(65_537);
    await putEncrypted("self.bin", body, { Metadata: { v: "1" } });
    const hdr = await storedHdr(bucket, "self.bin");
    await enc.viaProxy.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "self.bin",
        CopySource: `${bucket}/self.bin`,
        MetadataDirective: "REPLACE",
        Metadata: { v: "2" },
      }),
    );
    const head = await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: "self.bin" }));
    assert.equal(head.Metadata?.["v"], "2");
    assert.equal(await storedHdr(bucket, "self.bin"), hdr);
    assert.ok((await read(bucket, "self.bin")).equals(body));
  });

  it("refuses metadata that does not fit next to the envelope, and reserved names", async () => {
    await putEncrypted("budget.bin", plaintext(100));
    const big = await outcome(
      enc.viaProxy.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: "budget-dst.bin",
          CopySource: `${bucket}/budget.bin`,
          MetadataDirective: "REPLACE",
          Metadata: { filler: "x".repeat(1900) },
        }),
      ),
    );
    assert.deepEqual(big, { status: 400, code: "MetadataTooLarge" });
    const reserved = await outcome(
      enc.viaProxy.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: "budget-dst.bin",
          CopySource: `${bucket}/budget.bin`,
          MetadataDirective: "REPLACE",
          Metadata: { "s3proxy-hdr": "AAAA" },
        }),
      ),
    );
    assert.deepEqual(reserved, { status: 400, code: "InvalidArgument" });
    const missing = await outcome(
      enc.viaProxy.send(
        new CopyObjectCommand({ Bucket: bucket, Key: "x.bin", CopySource: `${bucket}/no/such.bin` }),
      ),
    );
    assert.deepEqual(missing, { status: 404, code: "NoSuchKey" });
  });

  it("re-encrypts a plaintext (legacy) source with its metadata and tags", async () => {
    const body = plaintext(300_000);
    await enc.direct.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "legacy/src.bin",
        Body: body,
        Metadata: { origin: "legacy" },
        ContentType: "text/x-legacy",
        Tagging: "team=storage&tier=cold",
      }),
    );
    const copied = await enc.viaProxy.send(
      new CopyObjectCommand({ Bucket: other, Key: "legacy/dst.bin", CopySource: `${bucket}/legacy/src.bin` }),
    );
    assert.match(copied.CopyObjectResult?.ETag ?? "", /^"[0-9a-f]{32}-1"$/);
    await assertStoredCiphertext(enc.direct, other, "legacy/dst.bin", body);
    assert.ok((await read(other, "legacy/dst.bin")).equals(body));
    const head = await enc.viaProxy.send(new HeadObjectCommand({ Bucket: other, Key: "legacy/dst.bin" }));
    assert.equal(head.Metadata?.["origin"], "legacy");
    assert.equal(head.ContentType, "text/x-legacy");
    assert.equal(head.ETag, copied.CopyObjectResult?.ETag);
    const tags = await enc.viaProxy.send(
      new GetObjectTaggingCommand({ Bucket: other, Key: "legacy/dst.bin" }),
    );
    assert.deepEqual(tags.TagSet?.map((t) => `${t.Key}=${t.Value}`).sort(), ["team=storage", "tier=cold"]);

    // REPLACE: the request's metadata; in place: a legacy object becomes encrypted.
    await enc.viaProxy.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "legacy/src.bin",
        CopySource: `${bucket}/legacy/src.bin`,
        MetadataDirective: "REPLACE",
        Metadata: { origin: "migrated" },
      }),
    );
    await assertStoredCiphertext(enc.direct, bucket, "legacy/src.bin", body);
    const migrated = await enc.viaProxy.send(
      new HeadObjectCommand({ Bucket: bucket, Key: "legacy/src.bin" }),
    );
    assert.deepEqual(migrated.Metadata, { origin: "migrated" });
    assert.ok((await read(bucket, "legacy/src.bin")).equals(body));
  });

  it("UploadPartCopy re-encrypts the copied ranges (legacy and encrypted sources)", async () => {
    const legacy = plaintext(6 * MiB + 123);
    await enc.direct.send(new PutObjectCommand({ Bucket: bucket, Key: "parts/legacy.bin", Body: legacy }));
    const encrypted = plaintext(3 * MiB);
    await putEncrypted("parts/encrypted.bin", encrypted);
    const created = await enc.viaProxy.send(
      new CreateMultipartUploadCommand({ Bucket: other, Key: "parts/dst.bin" }),
    );
    const uploadId = created.UploadId!;
    const part = async (n: number, source: string, range: string) => {
      const r = await enc.viaProxy.send(
        new UploadPartCopyCommand({
          Bucket: other,
          Key: "parts/dst.bin",
          UploadId: uploadId,
          PartNumber: n,
          CopySource: `${bucket}/${source}`,
          CopySourceRange: range,
        }),
      );
      return r.CopyPartResult!.ETag!;
    };
    const e1 = await part(1, "parts/legacy.bin", `bytes=0-${5 * MiB - 1}`);
    // A range starting past record 0 of an encrypted source, ending mid-record.
    const e2 = await part(2, "parts/encrypted.bin", `bytes=${MiB + 100}-${2 * MiB + 99}`);
    assert.equal(e1, `"${md5(legacy.subarray(0, 5 * MiB)).toString("hex")}"`, "part ETag: plaintext MD5");
    assert.equal(e2, `"${md5(encrypted.subarray(MiB + 100, 2 * MiB + 100)).toString("hex")}"`);
    await enc.viaProxy.send(
      new CompleteMultipartUploadCommand({
        Bucket: other,
        Key: "parts/dst.bin",
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: e1 },
            { PartNumber: 2, ETag: e2 },
          ],
        },
      }),
    );
    const expected = Buffer.concat([
      legacy.subarray(0, 5 * MiB),
      encrypted.subarray(MiB + 100, 2 * MiB + 100),
    ]);
    assert.ok((await read(other, "parts/dst.bin")).equals(expected));
    await assertStoredCiphertext(enc.direct, other, "parts/dst.bin", expected);
    const bad = await outcome(
      enc.viaProxy.send(
        new UploadPartCopyCommand({
          Bucket: other,
          Key: "parts/dst.bin",
          UploadId: "not-a-proxy-upload",
          PartNumber: 1,
          CopySource: `${bucket}/parts/legacy.bin`,
        }),
      ),
    );
    assert.deepEqual(bad, { status: 404, code: "NoSuchUpload" });
  });

  it("aws s3 cp s3://… s3://… (CLI v2): 20 MiB by UploadPartCopy and 1 MiB by CopyObject, byte-identical", async () => {
    const env = proxiedAwsEnv(rig, enc.proxy);
    const aws = (args: string[]): Promise<AwsResult> => runAws(args, { env, cli: "v2", timeoutMs: 300_000 });
    const explain = (r: AwsResult): string => `exit ${r.code}\n${r.stderr.slice(-3000)}`;
    for (const size of [20 * MiB, 1 * MiB]) {
      const body = plaintext(size);
      const src = join(enc.work, `cli-${size}.src`);
      const dst = join(enc.work, `cli-${size}.dst`);
      await writeFile(src, body);
      const key = `cli/${size}.bin`;
      const up = await aws(["s3", "cp", src, `s3://${bucket}/${key}`]);
      assert.equal(up.code, 0, explain(up));
      const logsBefore = enc.proxy.logs.length;
      const copy = await aws(["s3", "cp", `s3://${bucket}/${key}`, `s3://${other}/${key}`]);
      assert.equal(copy.code, 0, explain(copy));
      const copyLogs = enc.proxy.logs.slice(logsBefore).join("\n");
      if (size > 8 * MiB) assert.match(copyLogs, /re-encrypting UploadPartCopy/, "multipart copy expected");
      else assert.match(copyLogs, /forwarding CopyObject of an encrypted source/, "CopyObject expected");
      const down = await aws(["s3api", "get-object", "--bucket", other, "--key", key, dst]);
      assert.equal(down.code, 0, explain(down));
      assert.ok((await readFile(dst)).equals(body), `${size} B: copy differs`);
      await assertStoredCiphertext(enc.direct, other, key, body);
    }
  });
});

void describe("CopyObject in a versioned bucket", () => {
  it("copies an older version by versionId", async () => {
    const versioned = uniqueBucket("enc-copy-ver");
    await enc.viaProxy.send(new CreateBucketCommand({ Bucket: versioned }));
    await enc.viaProxy.send(
      new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: "Enabled" } }),
    );
    const v1Body = plaintext(80_000);
    const v2Body = plaintext(2_000);
    const v1 = await enc.viaProxy.send(
      new PutObjectCommand({ Bucket: versioned, Key: "doc.bin", Body: v1Body }),
    );
    await enc.viaProxy.send(new PutObjectCommand({ Bucket: versioned, Key: "doc.bin", Body: v2Body }));
    const copied = await enc.viaProxy.send(
      new CopyObjectCommand({
        Bucket: versioned,
        Key: "doc-v1.bin",
        CopySource: `${versioned}/doc.bin?versionId=${encodeURIComponent(v1.VersionId!)}`,
      }),
    );
    assert.equal(copied.CopySourceVersionId, v1.VersionId);
    // The copy's own x-amz-version-id is relayed when the upstream sends one (S3 does; radosgw 16.2 does not).
    assert.ok((await read(versioned, "doc-v1.bin")).equals(v1Body));
    // REPLACE of the old version onto the key itself: the old plaintext becomes the latest version.
    await enc.viaProxy.send(
      new CopyObjectCommand({
        Bucket: versioned,
        Key: "doc.bin",
        CopySource: `${versioned}/doc.bin?versionId=${encodeURIComponent(v1.VersionId!)}`,
        MetadataDirective: "REPLACE",
        Metadata: { restored: "v1" },
      }),
    );
    assert.ok((await read(versioned, "doc.bin")).equals(v1Body));
  });
});
