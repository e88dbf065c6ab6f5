/**
 * Client-visible ETags of encrypted multipart uploads (docs/FORMAT.md §15, README "ETags") against radosgw
 * through `s3proxy serve`:
 * - UploadPart answers `"<MD5 of the plaintext part>"`; CompleteMultipartUpload takes those and answers
 *   `"<md5(plaintext part MD5s)>-N"`, what S3 gives the plaintext upload; a later HEAD shows the stored
 *   multipart ETag (the documented inconsistency);
 * - ListParts shows the stored ETags, and a Complete that names the parts by them works too (and answers the
 *   stored multipart ETag, which is then also what HEAD shows);
 * - a part number never uploaded, or an ETag that is no MD5, is InvalidPart.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { plaintext } from "../helpers/encryptedRig.ts";
import { s3Error } from "../helpers/s3Error.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const MiB = 1024 * 1024;
const rig = rigFromEnv();
const enc = withEncryptingProxy(rig, "mpu-etag");

const md5 = (b: Buffer): Buffer => createHash("md5").update(b).digest();

/** radosgw quotes no ETag in a CompleteMultipartUploadResult (S3 does), and the proxy keeps its quoting. */
const unquoted = (etag: string | undefined): string => (etag ?? "").replace(/^"(.*)"$/, "$1");

/**
 * Complete's answer is relayed with the backend's ETag: S3 writes the object's ETag (what HEAD shows) there;
 * radosgw 16.2 leaves it empty (the SDK reads "", also without the proxy), and the proxy passes that on as is.
 */
function assertCompleteEtag(completed: string | undefined, head: string | undefined): void {
  if ((completed ?? "") === "") return;
  assert.equal(unquoted(completed), unquoted(head), "Complete answers the ETag HEAD shows");
}

/** A new upload with `parts` uploaded through the proxy; their UploadPart ETags. */
async function uploadParts(
  bucket: string,
  key: string,
  parts: Buffer[],
): Promise<{ uploadId: string; etags: string[] }> {
  const { UploadId } = await enc.viaProxy.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
  );
  const etags: string[] = [];
  for (const [i, body] of parts.entries()) {
    const r = await enc.viaProxy.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: body }),
    );
    etags.push(r.ETag!);
  }
  return { uploadId: UploadId!, etags };
}

void describe("multipart ETags through the encrypting proxy", () => {
  it("parts answer their plaintext MD5; Complete and HEAD the stored multipart ETag", async () => {
    const bucket = uniqueBucket("mpu-etag");
    await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = "etag/plain.bin";
    const parts = [plaintext(5 * MiB), plaintext(777_777)];
    const { uploadId, etags } = await uploadParts(bucket, key, parts);
    assert.deepEqual(
      etags,
      parts.map((p) => `"${md5(p).toString("hex")}"`),
    );

    const listed = await enc.viaProxy.send(
      new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
    );
    const upstreamId = uploadId.slice(0, uploadId.lastIndexOf(".s3p."));
    const stored = await enc.direct.send(
      new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: upstreamId }),
    );
    assert.deepEqual(
      listed.Parts?.map((p) => p.ETag),
      stored.Parts?.map((p) => p.ETag),
      "ListParts shows the stored ETags",
    );
    assert.notDeepEqual(
      listed.Parts?.map((p) => p.ETag),
      etags,
    );

    const done = await enc.viaProxy.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
      }),
    );
    const head = await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const storedHead = await enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(head.ETag, storedHead.ETag, "HEAD shows the stored multipart ETag");
    assertCompleteEtag(done.ETag, head.ETag);
    assert.match(head.ETag ?? "", /^"[0-9a-f]{32}-2"$/);
    const got = await enc.viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts)));
  });

  it("completes with the ETags ListParts shows, answering the stored multipart ETag", async () => {
    const bucket = uniqueBucket("mpu-etag-list");
    await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = "etag/listed.bin";
    const parts = [plaintext(5 * MiB), plaintext(5 * MiB), plaintext(1234)];
    const { uploadId } = await uploadParts(bucket, key, parts);
    const listed = await enc.viaProxy.send(
      new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
    );
    const done = await enc.viaProxy.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: listed.Parts!.map((p) => ({ PartNumber: p.PartNumber!, ETag: p.ETag! })) },
      }),
    );
    const head = await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assertCompleteEtag(done.ETag, head.ETag);
    const got = await enc.viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts)));
  });

  it("refuses with InvalidPart a part never uploaded and an ETag that is no MD5, creating nothing", async () => {
    const bucket = uniqueBucket("mpu-etag-bad");
    await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = "etag/bad.bin";
    const parts = [plaintext(5 * MiB), plaintext(1000)];
    const { uploadId, etags } = await uploadParts(bucket, key, parts);
    const cases: [string, { PartNumber: number; ETag: string }[], RegExp][] = [
      [
        "part 3 never uploaded",
        [...etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })), { PartNumber: 3, ETag: etags[1]! }],
        /Part 3 could not be found/,
      ],
      [
        "malformed ETag",
        [
          { PartNumber: 1, ETag: '"not-an-md5"' },
          { PartNumber: 2, ETag: etags[1]! },
        ],
        /ETag/,
      ],
      [
        "multipart-style ETag",
        [
          { PartNumber: 1, ETag: `"${etags[0]!.slice(1, -1)}-1"` },
          { PartNumber: 2, ETag: etags[1]! },
        ],
        /ETag/,
      ],
    ];
    for (const [name, list, message] of cases) {
      const err = await s3Error(
        enc.viaProxy.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: list },
          }),
        ),
      );
      assert.equal(err.name, "InvalidPart", `${name}: ${err.name} ${err.message}`);
      assert.equal(err.$metadata.httpStatusCode, 400, name);
      assert.match(err.message, message, name);
    }
    await assert.rejects(
      enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
      "an object was created",
    );
    await enc.viaProxy.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
    );
  });
});
