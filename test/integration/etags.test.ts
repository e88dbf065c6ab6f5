/**
 * Client-visible ETags and conditional requests through the encrypting proxy, against radosgw
 * (src/pipeline/clientEtag.ts, conditionalRequest.ts; docs/FORMAT.md §2.1):
 * - a PUT with Content-MD5 records the sealed plaintext MD5: PUT, HEAD and GET all show `"<md5 of plaintext>"`
 *   while radosgw stores another ETag (the ciphertext's) and only sealed bytes;
 * - a PUT without it shows `"<stored hex>-1"` everywhere (not an MD5, so MD5-checking clients skip it);
 * - If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since on GET and HEAD, and If-Match on PUT,
 *   are evaluated against the ETag the client sees;
 * - a sealed MD5 altered in storage fails the read, never answers with a made-up ETag.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandOutput,
} from "@aws-sdk/client-s3";
import { plaintext } from "../helpers/encryptedRig.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const bucket = uniqueBucket("enc-etags");
const enc = withEncryptingProxy(rig, "etags");

const md5 = (b: Buffer): Buffer => createHash("md5").update(b).digest();

/** PutObject through the proxy with Content-MD5, so the proxy records the plaintext MD5 for the ETag. */
function putWithMd5(key: string, body: Buffer): Promise<PutObjectCommandOutput> {
  return enc.viaProxy.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentMD5: md5(body).toString("base64") }),
  );
}

/** The HTTP status of a failed SDK call (304 and 412 are errors to the SDK). */
async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1;
  }
}

before(async () => {
  await enc.ready;
  await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
});

void describe("client-visible ETags through the encrypting proxy", () => {
  it("with Content-MD5: PUT, HEAD and GET show the plaintext MD5; storage shows neither it nor the data", async () => {
    for (const size of [0, 1, 65537]) {
      const body = plaintext(size);
      const key = `md5/${size}.bin`;
      const expected = `"${md5(body).toString("hex")}"`;
      const put = await putWithMd5(key, body);
      assert.equal(put.ETag, expected, `${size} B: PUT ETag`);
      const head = await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      assert.equal(head.ETag, expected, `${size} B: HEAD ETag`);
      const get = await enc.viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      assert.equal(get.ETag, expected, `${size} B: GET ETag`);
      assert.ok(Buffer.from(await get.Body!.transformToByteArray()).equals(body));

      const stored = await enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      assert.notEqual(stored.ETag, expected, `${size} B: radosgw's ETag is the ciphertext's`);
      const sealed = stored.Metadata?.["s3proxy-md5"];
      assert.ok(sealed, `${size} B: sealed MD5 recorded`);
      assert.equal(Buffer.from(sealed, "base64url").length, 32);
      assert.ok(!JSON.stringify(stored.Metadata).includes(md5(body).toString("hex")));
      assert.ok(!JSON.stringify(stored.Metadata).includes(md5(body).toString("base64")));
    }
  });

  it("without Content-MD5: every answer shows the stored ETag marked as not an MD5", async () => {
    const body = plaintext(70_000);
    const key = "no-md5.bin";
    const put = await enc.viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const stored = await enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(stored.Metadata?.["s3proxy-md5"], undefined);
    const expected = `${stored.ETag!.slice(0, -1)}-1"`;
    assert.equal(put.ETag, expected);
    assert.equal(
      (await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag,
      expected,
    );
    const get = await enc.viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(get.ETag, expected);
    await get.Body!.transformToByteArray();
  });

  it("evaluates GET/HEAD conditions against the client-visible ETag", async () => {
    const body = plaintext(100_000);
    const key = "cond.bin";
    const etag = `"${md5(body).toString("hex")}"`;
    await putWithMd5(key, body);
    const other = '"0123456789abcdef0123456789abcdef"';
    const future = new Date(Date.now() + 3_600_000);
    const past = new Date(Date.now() - 86_400_000);
    const get = (extra: Record<string, unknown>): Promise<number> =>
      statusOf(
        enc.viaProxy
          .send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }))
          .then((r) => r.Body!.transformToByteArray()),
      );
    assert.equal(await get({ IfMatch: etag }), 200);
    assert.equal(await get({ IfMatch: other }), 412);
    assert.equal(await get({ IfNoneMatch: etag }), 304);
    assert.equal(await get({ IfNoneMatch: other }), 200);
    assert.equal(await get({ IfModifiedSince: future }), 304);
    assert.equal(await get({ IfUnmodifiedSince: past }), 412);
    // RFC 9110 §13.2.2 / S3: a true If-Match makes a false If-Unmodified-Since irrelevant.
    assert.equal(await get({ IfMatch: etag, IfUnmodifiedSince: past }), 200);
    assert.equal(await get({ IfNoneMatch: etag, IfModifiedSince: past }), 304);
    assert.equal(
      await statusOf(
        enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: etag })),
      ),
      304,
    );
    assert.equal(
      await statusOf(enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: key, IfMatch: other }))),
      412,
    );
    // The stored (ciphertext) ETag means nothing to the client side.
    const storedEtag = (await enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag;
    assert.equal(await get({ IfMatch: storedEtag }), 412);
  });

  it("a 304 shows the client-visible ETag, also for a date-only condition", async () => {
    const body = plaintext(10);
    const key = "cond-304.bin";
    const etag = `"${md5(body).toString("hex")}"`;
    await putWithMd5(key, body);
    const seen: string[] = [];
    enc.viaProxy.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const res = out.response as { statusCode?: number; headers?: Record<string, string> };
        if (res.statusCode === 304) seen.push(res.headers?.etag ?? "");
        return out;
      },
      { step: "deserialize", name: "capture304", override: true },
    );
    try {
      await statusOf(
        enc.viaProxy.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            IfModifiedSince: new Date(Date.now() + 3_600_000),
          }),
        ),
      );
      await statusOf(
        enc.viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: etag })),
      );
    } finally {
      enc.viaProxy.middlewareStack.remove("capture304");
    }
    assert.deepEqual(seen, [etag, etag]);
  });

  it("a conditional PUT (If-Match) compares with the client-visible ETag", async () => {
    const key = "cond-put.bin";
    const first = plaintext(5000);
    const put = await enc.viaProxy.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: first,
        ContentMD5: md5(first).toString("base64"),
      }),
    );
    const second = plaintext(6000);
    assert.equal(
      await statusOf(
        enc.viaProxy.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: second,
            IfMatch: '"0123456789abcdef0123456789abcdef"',
          }),
        ),
      ),
      412,
    );
    const ok = await enc.viaProxy.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: second, IfMatch: put.ETag }),
    );
    assert.ok(ok.ETag);
    const got = await enc.viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(second));
  });

  it("a sealed MD5 swapped in from another object fails the read instead of showing an ETag", async () => {
    const a = plaintext(3000);
    const b = plaintext(3000);
    for (const [key, body] of [
      ["swap-a.bin", a],
      ["swap-b.bin", b],
    ] as const) {
      await putWithMd5(key, body);
    }
    const metaA = (await enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: "swap-a.bin" })))
      .Metadata!;
    const metaB = (await enc.direct.send(new HeadObjectCommand({ Bucket: bucket, Key: "swap-b.bin" })))
      .Metadata!;
    await enc.direct.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "swap-a.bin",
        CopySource: `${bucket}/swap-a.bin`,
        MetadataDirective: "REPLACE",
        Metadata: { ...metaA, "s3proxy-md5": metaB["s3proxy-md5"]! },
      }),
    );
    const head = await statusOf(
      enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: "swap-a.bin" })),
    );
    assert.ok(head >= 500, `HEAD answered ${head}`);
    const get = await statusOf(
      enc.viaProxy
        .send(new GetObjectCommand({ Bucket: bucket, Key: "swap-a.bin" }))
        .then((r) => r.Body!.transformToByteArray()),
    );
    assert.ok(get >= 500, `GET answered ${get}`);
  });
});
