/**
 * Acceptance (issue [3]): `@aws-sdk/client-s3` GetObject with response checksum validation succeeds through the
 * encrypting proxy against a backend that returns `x-amz-checksum-crc32` for the stored ciphertext (moto_server,
 * NOTES.md §3; radosgw has no flexible checksums so the radosgw tests cannot show this). The upstream checksum
 * is over ciphertext: forwarded to the client it would fail the SDK's validation of the plaintext, so the proxy
 * must strip it. The test proves (a) moto really returns such a header for the stored object, (b) GetObject
 * through the proxy with ChecksumMode ENABLED returns the plaintext byte-identically, (c) the proxy's response
 * carries no x-amz-checksum-*.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { after, before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { createDevelopmentKeyFile } from "../../src/keys/index.ts";
import { CANARY, plaintext } from "../helpers/encryptedRig.ts";
import { startMoto, type MotoServer } from "../helpers/motoServer.ts";
import { startProxyProcess, type ProxyProcess } from "../helpers/proxyProcess.ts";
import { TrustingProxyAgent } from "../helpers/trustingProxyAgent.ts";

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

/** Records the raw HTTP response headers of every request the client makes (last one wins). */
function captureResponseHeaders(client: S3Client): { last: Record<string, string> } {
  const seen = { last: {} as Record<string, string> };
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { headers?: Record<string, string> } | undefined;
      seen.last = { ...(response?.headers ?? {}) };
      return result;
    },
    { step: "finalizeRequest", name: "captureResponseHeaders" },
  );
  return seen;
}

const checksumHeaders = (h: Record<string, string>): string[] =>
  Object.keys(h).filter((k) => k.toLowerCase().startsWith("x-amz-checksum-"));

let moto: MotoServer;
let proxy: ProxyProcess;
let work: string;
let viaProxy: S3Client;
let direct: S3Client;
let proxySeen: { last: Record<string, string> };
let directSeen: { last: Record<string, string> };

before(async () => {
  moto = await startMoto();
  work = await mkdtemp(join(tmpdir(), "s3proxy-moto-"));
  const keyFile = join(work, "keys", "kek.json");
  await createDevelopmentKeyFile(keyFile);
  proxy = await startProxyProcess([
    "--key-file",
    keyFile,
    "--access-key-id",
    CREDENTIALS.accessKeyId,
    "--secret-access-key",
    CREDENTIALS.secretAccessKey,
    "--region",
    REGION,
    "--upstream-endpoint",
    moto.endpoint,
  ]);
  viaProxy = new S3Client({
    region: REGION,
    credentials: CREDENTIALS,
    // Explicit SDK defaults, so no AWS_*_CHECKSUM_* variable in the environment can weaken the test.
    requestChecksumCalculation: "WHEN_SUPPORTED",
    responseChecksumValidation: "WHEN_SUPPORTED",
    requestHandler: {
      httpsAgent: new TrustingProxyAgent(
        `http://127.0.0.1:${proxy.port}`,
        await readFile(proxy.caFile, "utf8"),
      ),
    },
  });
  direct = new S3Client({
    region: REGION,
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    requestChecksumCalculation: "WHEN_SUPPORTED",
    responseChecksumValidation: "WHEN_SUPPORTED",
  });
  proxySeen = captureResponseHeaders(viaProxy);
  directSeen = captureResponseHeaders(direct);
});

after(async () => {
  viaProxy?.destroy();
  direct?.destroy();
  await proxy?.stop();
  await moto?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

void describe("GetObject with checksum validation through the proxy, backend returns x-amz-checksum-crc32 (moto)", () => {
  const bucket = `moto-checksums-${process.pid}`;
  const key = "obj ✓.bin";
  const body = plaintext(65537 + 100);

  before(async () => {
    await viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
    // Default SDK checksum settings: a Buffer body goes up with an x-amz-checksum-crc32 of the plaintext.
    await viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  });

  it("moto returns an x-amz-checksum-* for the stored ciphertext (what makes stripping necessary)", async (t) => {
    let got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
    let stored = Buffer.from(await got.Body!.transformToByteArray());
    const metadata = got.Metadata ?? {};
    assert.ok(
      Object.keys(metadata).some((k) => k.startsWith("s3proxy-")),
      `no x-amz-meta-s3proxy-* on the stored object: ${JSON.stringify(metadata)}`,
    );
    assert.equal(stored.indexOf(CANARY), -1, "plaintext canary stored upstream");
    assert.equal(stored.indexOf(body.subarray(0, 64)), -1, "plaintext stored upstream");
    const storedByProxyPut = checksumHeaders(directSeen.last);
    t.diagnostic(`checksum headers moto returned after the proxied PUT: ${JSON.stringify(storedByProxyPut)}`);
    if (storedByProxyPut.length === 0) {
      // The proxy stripped the client's (plaintext) checksum on the way up, so moto stored none: put the same
      // ciphertext and envelope metadata back directly with a CRC32, as a proxy that recomputed checksums would.
      await direct.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: stored,
          Metadata: metadata,
          ChecksumAlgorithm: "CRC32",
        }),
      );
      got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
      stored = Buffer.from(await got.Body!.transformToByteArray());
    }
    const upstream = checksumHeaders(directSeen.last);
    assert.ok(upstream.length > 0, `moto returned no x-amz-checksum-*: ${JSON.stringify(directSeen.last)}`);
    assert.ok(got.ChecksumCRC32, "moto returned no x-amz-checksum-crc32");
    // It is the CRC32 of the ciphertext, not of the plaintext: forwarded unchanged, the client's validation of the
    // plaintext it receives would fail, which is exactly why the proxy must strip it.
    const b64 = (n: number): string =>
      Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString("base64");
    assert.ok(stored.length > body.length, "stored object is not longer than the plaintext");
    assert.equal(
      got.ChecksumCRC32,
      b64(crc32(stored)),
      "upstream CRC32 is not that of the stored ciphertext",
    );
    assert.notEqual(got.ChecksumCRC32, b64(crc32(body)), "upstream CRC32 matches the plaintext");
  });

  it("GetObject through the proxy with ChecksumMode ENABLED returns the plaintext, with no x-amz-checksum-*", async () => {
    // Precondition from the previous test, re-checked so this one stands alone: the backend sends a checksum.
    const head = await direct.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }),
    );
    assert.ok(head.ChecksumCRC32, "precondition: moto returns x-amz-checksum-crc32 for the stored object");

    const got = await viaProxy.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }),
    );
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    assert.ok(bytes.equals(body), `downloaded bytes differ (got ${bytes.length} B, want ${body.length} B)`);
    assert.equal(got.ContentLength, body.length);
    // The capture really saw this response (not a stale or empty record).
    assert.equal(proxySeen.last["content-length"], String(body.length), "response headers not captured");
    assert.deepEqual(checksumHeaders(proxySeen.last), [], "proxy forwarded an x-amz-checksum-* header");
    assert.equal(got.ChecksumCRC32, undefined);

    const headVia = await viaProxy.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }),
    );
    assert.equal(headVia.ContentLength, body.length);
    assert.deepEqual(
      checksumHeaders(proxySeen.last),
      [],
      "proxy forwarded an x-amz-checksum-* header on HEAD",
    );
  });
});
