/**
 * Acceptance (issue [4]): presigned URLs (query-string SigV4) for GET, HEAD and PUT through the encrypting proxy
 * against radosgw. The URLs are made by smithy's SignatureV4.presign with the application's credentials (which
 * radosgw does not know: the proxy re-signs with its own), for the virtual-hosted AWS host the application
 * would use, and fetched with Node's https through the proxy's CONNECT port. Expired and malformed URLs are
 * refused by the proxy with S3's errors and never reach radosgw.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { assertStoredCiphertext, plaintext } from "../helpers/encryptedRig.ts";
import { sendRequest, type SimpleResponse } from "../helpers/sendRequest.ts";
import { TrustingProxyAgent } from "../helpers/trustingProxyAgent.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const bucket = uniqueBucket("enc-presigned");
const host = `${bucket}.s3.us-east-1.amazonaws.com`;
const application = { accessKeyId: "AKIDPRESIGNINGAPP", secretAccessKey: "application-secret" };
const enc = withEncryptingProxy(rig, "presigned");
/** The raw presigned requests go through the proxy with this agent, trusting its CA. */
let agent: TrustingProxyAgent;

const signer = new SignatureV4({
  service: "s3",
  region: "us-east-1",
  credentials: application,
  sha256: Hash.bind(null, "sha256"),
  uriEscapePath: false,
});

async function presign(
  method: string,
  key: string,
  opts: { expiresIn?: number; signingDate?: Date } = {},
): Promise<string> {
  const signed = await signer.presign(
    new HttpRequest({ method, protocol: "https:", hostname: host, path: `/${key}`, headers: { host } }),
    { expiresIn: opts.expiresIn ?? 300, ...(opts.signingDate ? { signingDate: opts.signingDate } : {}) },
  );
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  return `/${key}?${query}`;
}

async function fetchVia(method: string, pathAndQuery: string, body?: Buffer): Promise<SimpleResponse> {
  const headers = body ? { "content-length": body.length } : {};
  return await sendRequest(request({ host, port: 443, method, path: pathAndQuery, agent, headers }), body);
}

before(async () => {
  await enc.ready;
  agent = new TrustingProxyAgent(
    `http://127.0.0.1:${enc.proxy.port}`,
    await readFile(enc.proxy.caFile, "utf8"),
  );
  await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
});
after(() => {
  agent?.destroy();
});

void describe("presigned URLs through the encrypting proxy", () => {
  it("GET and HEAD return the plaintext of an encrypted object", async () => {
    const body = plaintext(100_000);
    await enc.viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: "get.bin", Body: body }));
    const got = await fetchVia("GET", await presign("GET", "get.bin"));
    assert.equal(got.status, 200, got.body.toString());
    assert.ok(got.body.equals(body), "presigned GET returned other bytes");
    const head = await fetchVia("HEAD", await presign("HEAD", "get.bin"));
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], String(body.length));
  });

  it("PUT stores ciphertext that reads back as the uploaded bytes", async () => {
    const body = plaintext(70_001);
    const put = await fetchVia("PUT", await presign("PUT", "put.bin"), body);
    assert.equal(put.status, 200, put.body.toString());
    const got = await enc.viaProxy.send(new GetObjectCommand({ Bucket: bucket, Key: "put.bin" }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body));
    await assertStoredCiphertext(enc.direct, bucket, "put.bin", body);
  });

  it("refuses an expired URL, one not yet valid and malformed ones with S3's errors", async () => {
    const expired = await presign("GET", "get.bin", {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 2 * 3600_000),
    });
    const e = await fetchVia("GET", expired);
    assert.equal(e.status, 403);
    assert.match(e.body.toString(), /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);

    const future = await presign("GET", "get.bin", { signingDate: new Date(Date.now() + 3600_000) });
    const f = await fetchVia("GET", future);
    assert.equal(f.status, 403);
    assert.match(f.body.toString(), /Request is not yet valid/);

    const tooLong = (await presign("GET", "get.bin")).replace(/X-Amz-Expires=\d+/, "X-Amz-Expires=604801");
    const t = await fetchVia("GET", tooLong);
    assert.equal(t.status, 400);
    assert.match(t.body.toString(), /<Code>InvalidArgument<\/Code>/);

    const noSignature = (await presign("PUT", "never.bin")).replace(/&?X-Amz-Signature=[0-9a-f]+/, "");
    const n = await fetchVia("PUT", noSignature, Buffer.from("must not be stored"));
    assert.equal(n.status, 400);
    const missing = await fetchVia("GET", await presign("GET", "never.bin"));
    assert.equal(missing.status, 404, "the refused PUT stored something");
  });
});
