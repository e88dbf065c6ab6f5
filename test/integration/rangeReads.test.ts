/**
 * Acceptance for Range and partNumber reads of encrypted objects against real S3 (Ceph radosgw verifies every
 * re-signed request, answers the proxy's ciphertext Ranges and If-Match pins itself). The proxy runs as
 * `s3proxy serve` and reaches radosgw through a counting relay, so every test can also check what a read
 * cost upstream:
 * - a property test (fast-check, fixed seed): random objects — single-part of random sizes around the 64 KiB
 *   record boundaries up to ~1.2 MiB, and multipart objects built from per-part ciphertext (5 MiB parts, odd
 *   last parts) uploaded straight to radosgw — and random ranges of all three forms: the proxied answer is
 *   exactly S3's answer for the plaintext, and the upstream bytes never exceed the records the answer touches
 *   plus one record (plus record 0 for a multipart object's K);
 * - 416, preconditions with ranges, partNumber on single-part and multipart objects, legacy objects, a
 *   tampered record inside the range, and @aws-sdk/client-s3 GetObject with Range / PartNumber.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import fc from "fast-check";
import {
  ciphertextLength,
  createEncryptStream,
  createEnvelope,
  encodeEnvelopeMetadata,
  openObjectKeys,
  recordLength,
  recordSize,
  segmentSize,
} from "../../src/crypto/index.ts";
import { dekContextFor, loadLocalKeyProvider } from "../../src/keys/index.ts";
import { startCountingRelay, type CountingRelay } from "../helpers/countingRelay.ts";
import { proxyKeyFile, startEncryptingProxy } from "../helpers/encryptedRig.ts";
import { proxiedAwsEnv } from "../helpers/proxiedAwsEnv.ts";
import { proxiedS3Client } from "../helpers/proxiedS3Client.ts";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import { requestOver, tlsVia, type SimpleResponse } from "../helpers/viaProxy.ts";
import { runAws } from "../rig/clientEnv.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const S = segmentSize(16);
const R = recordSize(16);
const MiB = 1024 * 1024;
const SEED = 20261126;

let work: string;
let relay: CountingRelay;
let proxy: ProxyProcess;
let proxyCa: string;
let sdk: S3Client;
let direct: S3Client;
const bucket = uniqueBucket("ranges");

interface TestObject {
  key: string;
  body: Buffer;
  /** Stored (ciphertext) length. */
  stored: number;
  multipart: boolean;
}
const objects: TestObject[] = [];

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-ranges-"));
  relay = await startCountingRelay(rig.httpEndpoint);
  proxy = await startEncryptingProxy(rig, work, { upstreamEndpoint: relay.url });
  proxyCa = await readFile(proxy.caFile, "utf8");
  sdk = await proxiedS3Client(rig, proxy);
  // Straight to radosgw, for what the proxy cannot write yet (multipart) or must not (tampering, legacy).
  direct = new S3Client({
    region: rig.region,
    endpoint: rig.httpsEndpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: rig.accessKeyId, secretAccessKey: rig.secretAccessKey },
    requestHandler: { httpsAgent: new Agent({ ca: await readFile(rig.caFile, "utf8") }) },
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  await sdk.send(new CreateBucketCommand({ Bucket: bucket }));
});
after(async () => {
  sdk?.destroy();
  direct?.destroy();
  await proxy?.stop();
  await relay?.stop();
  await rm(work, { recursive: true, force: true });
});
beforeEach(() => {
  relay.log.length = 0;
});

/** One request through the proxy's CONNECT port, as a client addressing AWS would send it. */
async function viaProxy(
  method: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<SimpleResponse> {
  const host = `${bucket}.s3.us-east-1.amazonaws.com`;
  const tls = await tlsVia(proxy.port, `${host}:443`, { servername: host, ca: proxyCa });
  return requestOver(tls, {
    method,
    path: target,
    host,
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", ...headers },
  });
}

/** The relay's tally once the proxy's last upstream exchange is over (released bodies end a bit later). */
async function upstream(): Promise<{ requests: number; bytes: number }> {
  await new Promise((r) => setTimeout(r, 30));
  return { requests: relay.log.length, bytes: relay.log.reduce((n, l) => n + l.bytes, 0) };
}

async function putEncrypted(key: string, body: Buffer): Promise<TestObject> {
  await sdk.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  const o = { key, body, stored: ciphertextLength(body.length, 16), multipart: false };
  objects.push(o);
  return o;
}

/** A multipart-layout encrypted object, each part encrypted on its own and uploaded with a plain multipart upload. */
async function putMultipart(key: string, partLengths: readonly number[]): Promise<TestObject> {
  const body = randomBytes(partLengths.reduce((a, b) => a + b, 0));
  const provider = await loadLocalKeyProvider({ kind: "file", path: proxyKeyFile(work) });
  const { header, dek } = createEnvelope({ layout: "multipart" });
  const wrapped = await provider.wrapDek(dek, dekContextFor(header));
  const keys = openObjectKeys(header, dek);
  const meta = encodeEnvelopeMetadata({ header, kekRef: wrapped.kekRef, wrappedDek: wrapped.wrappedDek });
  const Metadata = Object.fromEntries(
    Object.entries(meta).map(([k, v]) => [k.replace(/^x-amz-meta-/, ""), v]),
  );
  const { UploadId } = await direct.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Metadata }),
  );
  const Parts = [];
  let at = 0;
  let stored = 0;
  for (const [i, length] of partLengths.entries()) {
    const piece = body.subarray(at, at + length);
    at += length;
    const encrypt = createEncryptStream({ keys, part: i + 1, plaintextLength: length });
    const ciphertext = await buffer(Readable.from([piece]).pipe(encrypt));
    stored += ciphertext.length;
    const { ETag } = await direct.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: ciphertext }),
    );
    Parts.push({ ETag, PartNumber: i + 1 });
  }
  await direct.send(
    new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts } }),
  );
  const o = { key, body, stored, multipart: true };
  objects.push(o);
  return o;
}

/** S3's answer to `Range: header` on `size` plaintext bytes, written from RFC 9110 §14.1.2 and S3's quirks. */
function s3Answer(
  header: string,
  size: number,
): { status: 206; start: number; end: number } | { status: 200 | 416 } {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header);
  if (m === null || (m[1] === "" && m[2] === "")) return { status: 200 };
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return { status: 416 };
    if (size === 0) return { status: 200 };
    return { status: 206, start: Math.max(0, size - n), end: size };
  }
  const first = Number(m[1]);
  if (m[2] !== "" && Number(m[2]) < first) return { status: 200 };
  if (first >= size) return { status: 416 };
  return { status: 206, start: first, end: m[2] === "" ? size : Math.min(size, Number(m[2]) + 1) };
}

/** Stored bytes of the records holding plaintext [start, end). */
function touchedBytes(o: TestObject, start: number, end: number): number {
  let n = 0;
  for (let g = Math.floor(start / S); g <= Math.floor((end - 1) / S); g++) n += recordLength(g, o.stored, 16);
  return n;
}

const sizes = fc.oneof(
  fc.constantFrom(0, 1, S - 1, S, S + 1, 2 * S, MiB),
  fc.tuple(fc.integer({ min: 1, max: 18 }), fc.integer({ min: -2, max: 2 })).map(([k, d]) => k * S + d),
  fc.nat({ max: Math.floor(1.2 * MiB) }),
);

describe("ranged reads through the proxy against radosgw", () => {
  before(async () => {
    const pool = [0, 1, S - 1, S, S + 1, MiB, ...fc.sample(sizes, { seed: SEED, numRuns: 8 })];
    for (const [i, size] of pool.entries()) await putEncrypted(`single/${i}-${size}.bin`, randomBytes(size));
    await putMultipart("multi/three-parts.bin", [5 * MiB, 5 * MiB, 123_457]);
    await putMultipart("multi/two-parts.bin", [5 * MiB, 70_001]);
  });

  it("answers random ranges exactly like S3 would for the plaintext, fetching only the touched records (property)", async () => {
    const position = (size: number) =>
      fc.oneof(
        fc.nat({ max: size + 100 }),
        fc
          .tuple(fc.nat({ max: Math.floor(size / S) + 1 }), fc.integer({ min: -2, max: 2 }))
          .map(([k, d]) => Math.max(0, k * S + d)),
      );
    const case_ = fc.nat({ max: objects.length - 1 }).chain((i) => {
      const size = objects[i]!.body.length;
      const header = fc.oneof(
        fc.tuple(position(size), fc.nat({ max: size + 10 })).map(([a, d]) => `bytes=${a}-${a + d}`),
        position(size).map((a) => `bytes=${a}-`),
        position(size).map((n) => `bytes=-${n}`),
      );
      return fc.tuple(fc.constant(i), header);
    });
    const stats = { runs: 0, requests: 0, fetched: 0, delivered: 0, maxExtra: 0 };
    await fc.assert(
      fc.asyncProperty(case_, async ([i, header]) => {
        const o = objects[i]!;
        relay.log.length = 0;
        const res = await viaProxy("GET", `/${o.key}`, { range: header });
        const want = s3Answer(header, o.body.length);
        const what = `${o.key} (${o.body.length} B) ${header}`;
        assert.equal(res.status, want.status, `${what}: ${res.body.toString().slice(0, 300)}`);
        const used = await upstream();
        let touched = 0;
        if (want.status === 206) {
          assert.ok(res.body.equals(o.body.subarray(want.start, want.end)), `${what}: wrong bytes`);
          assert.equal(
            res.headers["content-range"],
            `bytes ${want.start}-${want.end - 1}/${o.body.length}`,
            what,
          );
          touched = touchedBytes(o, want.start, want.end);
        } else if (want.status === 200) {
          assert.ok(res.body.equals(o.body), what);
          touched = o.stored;
        } else {
          assert.equal(res.headers["content-range"], `bytes */${o.body.length}`, what);
        }
        const allowed = touched + R + (o.multipart ? R : 0);
        assert.ok(
          used.bytes <= allowed,
          `${what}: ${used.bytes} upstream bytes > ${allowed}: ${JSON.stringify(relay.log)}`,
        );
        assert.ok(used.requests <= 4, `${what}: ${JSON.stringify(relay.log)}`);
        stats.runs += 1;
        stats.requests += used.requests;
        stats.fetched += used.bytes;
        stats.delivered += res.body.length;
        stats.maxExtra = Math.max(stats.maxExtra, used.bytes - touched);
      }),
      { seed: SEED, numRuns: 60 },
    );
    console.log(`# range property: ${JSON.stringify(stats)}`);
  });

  it("takes one upstream GET of exactly the touched records for bytes=a-b of a single-part object", async () => {
    const o = objects.find((x) => x.body.length === MiB)!;
    for (const [a, b] of [
      [100_000, 199_999], // FORMAT §7's example: records 1..3, bytes=65568-262271
      [0, 0],
      [S, 2 * S - 1],
      [MiB - 1, MiB - 1],
    ] as const) {
      relay.log.length = 0;
      const res = await viaProxy("GET", `/${o.key}`, { range: `bytes=${a}-${b}` });
      assert.equal(res.status, 206);
      assert.ok(res.body.equals(o.body.subarray(a, b + 1)));
      const used = await upstream();
      assert.deepEqual(
        [used.requests, used.bytes],
        [1, touchedBytes(o, a, b + 1)],
        JSON.stringify(relay.log),
      );
    }
  });

  it("answers unsatisfiable ranges with 416 InvalidRange and the plaintext length", async () => {
    const o = objects.find((x) => x.body.length === S + 1)!;
    for (const header of [`bytes=${S + 1}-`, "bytes=-0", `bytes=${10 * MiB}-${20 * MiB}`]) {
      const res = await viaProxy("GET", `/${o.key}`, { range: header });
      assert.equal(res.status, 416, header);
      assert.match(res.body.toString(), /<Code>InvalidRange<\/Code>/);
      assert.equal(res.headers["content-range"], `bytes */${S + 1}`);
    }
    const empty = objects.find((x) => x.body.length === 0)!;
    assert.equal((await viaProxy("GET", `/${empty.key}`, { range: "bytes=0-0" })).status, 416);
    const suffix = await viaProxy("GET", `/${empty.key}`, { range: "bytes=-10" });
    assert.deepEqual([suffix.status, suffix.body.length], [200, 0]);
  });

  it("evaluates preconditions before the range: 304, 412, and 206 when they hold", async () => {
    const o = objects.find((x) => x.body.length === MiB)!;
    const head = await viaProxy("HEAD", `/${o.key}`);
    const etag = head.headers.etag!;
    const lastModified = head.headers["last-modified"]!;
    const range = { range: "bytes=1000-1999" };
    const cases: [Record<string, string>, number][] = [
      [{ "if-none-match": etag }, 304],
      [{ "if-modified-since": lastModified }, 304],
      [{ "if-match": '"0123456789abcdef0123456789abcdef"' }, 412],
      [{ "if-unmodified-since": "Sat, 01 Jan 2000 00:00:00 GMT" }, 412],
      [{ "if-match": etag }, 206],
      [{ "if-none-match": '"other"' }, 206],
      [{ "if-modified-since": "Sat, 01 Jan 2000 00:00:00 GMT" }, 206],
    ];
    for (const [conditions, status] of cases) {
      const res = await viaProxy("GET", `/${o.key}`, { ...range, ...conditions });
      assert.equal(res.status, status, `${JSON.stringify(conditions)}: ${res.body.toString()}`);
      if (status === 206) assert.ok(res.body.equals(o.body.subarray(1000, 2000)));
    }
    const stale = await viaProxy("GET", `/${o.key}`, { ...range, "if-range": '"0000"' });
    assert.deepEqual([stale.status, stale.body.length], [200, MiB]);
    const fresh = await viaProxy("GET", `/${o.key}`, { ...range, "if-range": etag });
    assert.deepEqual([fresh.status, fresh.body.length], [206, 1000]);
  });

  it("maps partNumber to the plaintext of each part, with the part count", async () => {
    const three = objects.find((x) => x.key === "multi/three-parts.bin")!;
    const stored = await direct.send(
      new HeadObjectCommand({ Bucket: bucket, Key: three.key, PartNumber: 1 }),
    );
    for (const [n, start, end] of [
      [1, 0, 5 * MiB],
      [2, 5 * MiB, 10 * MiB],
      [3, 10 * MiB, three.body.length],
    ] as const) {
      relay.log.length = 0;
      const res = await viaProxy("GET", `/${three.key}?partNumber=${n}`);
      assert.equal(res.status, 206, `part ${n}: ${res.body.toString().slice(0, 300)}`);
      assert.ok(res.body.equals(three.body.subarray(start, end)), `part ${n}`);
      assert.equal(res.headers["content-range"], `bytes ${start}-${end - 1}/${three.body.length}`);
      assert.equal(res.headers["x-amz-mp-parts-count"], "3");
      // the logical count is the stored one for objects uploaded with the layout's part sizes
      if (stored.PartsCount !== undefined) assert.equal(stored.PartsCount, 3);
      const used = await upstream();
      assert.ok(
        used.bytes <= touchedBytes(three, start, end) + R + R,
        `part ${n}: ${JSON.stringify(relay.log)}`,
      );
    }
    const none = await viaProxy("GET", `/${three.key}?partNumber=4`);
    assert.equal(none.status, 416);
    assert.match(none.body.toString(), /<Code>InvalidPartNumber<\/Code>/);

    const single = objects.find((x) => x.body.length === MiB)!;
    const one = await viaProxy("GET", `/${single.key}?partNumber=1`);
    assert.equal(one.status, 206);
    assert.ok(one.body.equals(single.body));
    assert.equal(one.headers["content-range"], `bytes 0-${MiB - 1}/${MiB}`);
    assert.equal(one.headers["x-amz-mp-parts-count"], undefined);
    const two = await viaProxy("GET", `/${single.key}?partNumber=2`);
    assert.equal(two.status, 416);
    const headPart = await viaProxy("HEAD", `/${three.key}?partNumber=2`);
    assert.deepEqual([headPart.status, headPart.headers["content-length"]], [206, String(5 * MiB)]);
    const both = await viaProxy("GET", `/${single.key}?partNumber=1`, { range: "bytes=0-1" });
    assert.equal(both.status, 400);
  });

  it("works with @aws-sdk/client-s3 GetObject Range and PartNumber", async () => {
    const o = objects.find((x) => x.body.length === MiB)!;
    const got = await sdk.send(
      new GetObjectCommand({ Bucket: bucket, Key: o.key, Range: "bytes=70000-170000" }),
    );
    assert.equal(got.ContentRange, `bytes 70000-170000/${MiB}`);
    assert.equal(got.ContentLength, 100_001);
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(o.body.subarray(70000, 170001)));
    const tail = await sdk.send(new GetObjectCommand({ Bucket: bucket, Key: o.key, Range: "bytes=-5" }));
    assert.ok(Buffer.from(await tail.Body!.transformToByteArray()).equals(o.body.subarray(MiB - 5)));
    const mp = objects.find((x) => x.key === "multi/two-parts.bin")!;
    const part = await sdk.send(new GetObjectCommand({ Bucket: bucket, Key: mp.key, PartNumber: 2 }));
    assert.equal(part.PartsCount, 2);
    assert.ok(Buffer.from(await part.Body!.transformToByteArray()).equals(mp.body.subarray(5 * MiB)));
    await assert.rejects(
      sdk.send(new GetObjectCommand({ Bucket: bucket, Key: o.key, Range: `bytes=${MiB}-` })),
      (err: { name?: string; $metadata?: { httpStatusCode?: number } }) =>
        err.name === "InvalidRange" && err.$metadata?.httpStatusCode === 416,
    );
  });

  it("passes ranges of legacy (plaintext) objects through to S3", async () => {
    const body = randomBytes(200_000);
    await direct.send(new PutObjectCommand({ Bucket: bucket, Key: "legacy.bin", Body: body }));
    for (const header of ["bytes=1000-1999", "bytes=-77", "bytes=150000-", "bytes=199999-300000"]) {
      const res = await viaProxy("GET", "/legacy.bin", { range: header });
      const want = await direct.send(
        new GetObjectCommand({ Bucket: bucket, Key: "legacy.bin", Range: header }),
      );
      const bytes = Buffer.from(await want.Body!.transformToByteArray());
      assert.equal(res.status, want.$metadata.httpStatusCode, header);
      assert.ok(res.body.equals(bytes), header);
      assert.equal(res.headers["content-range"], want.ContentRange, header);
    }
    // Several ranges: S3 answers the whole object (the proxy does not send such a Range upstream at all).
    const multi = await viaProxy("GET", "/legacy.bin", { range: "bytes=0-1,5-6" });
    assert.deepEqual([multi.status, multi.body.length], [200, body.length]);
  });

  it("never releases bytes of a tampered record inside the range", async () => {
    const o = await putEncrypted("tampered.bin", randomBytes(4 * S));
    const head = await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: o.key }));
    const got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: o.key }));
    const stored = Buffer.from(await got.Body!.transformToByteArray());
    stored[R + 500] = (stored[R + 500] ?? 0) ^ 0x40; // record 1
    await direct.send(
      new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: stored, Metadata: head.Metadata }),
    );
    for (const header of [`bytes=${S}-${S + 99}`, `bytes=${S - 50}-${S + 49}`, `bytes=-${3 * S}`]) {
      let res: SimpleResponse | undefined;
      try {
        res = await viaProxy("GET", `/${o.key}`, { range: header });
      } catch {
        res = undefined; // the connection broke: the honest signal once the head went out
      }
      if (res !== undefined) {
        assert.ok(res.status >= 500, `${header}: ${res.status}`);
        assert.equal(
          res.body.indexOf(o.body.subarray(S, S + 32)),
          -1,
          "plaintext of the tampered record released",
        );
      }
    }
    const intact = await viaProxy("GET", `/${o.key}`, { range: `bytes=${2 * S}-${2 * S + 99}` });
    assert.equal(intact.status, 206);
    assert.ok(intact.body.equals(o.body.subarray(2 * S, 2 * S + 100)));
    assert.ok(
      proxy.logs.some((l) => l.includes("DecryptAuthFailed") || l.includes("ProxyDecryptFailed")),
      "no decrypt failure logged",
    );
  });

  it("lets the AWS CLI v2 download a large object in parallel ranged GETs, each byte fetched once", async () => {
    const o = await putEncrypted("cli/large.bin", randomBytes(20 * MiB + 12_345));
    relay.log.length = 0;
    const dst = join(work, "large.dst");
    const env = proxiedAwsEnv(rig, proxy);
    const r = await runAws(["s3", "cp", `s3://${bucket}/${o.key}`, dst], { env, cli: "v2" });
    assert.equal(r.code, 0, `${r.stdout.slice(-1000)}\n${r.stderr.slice(-2000)}`);
    assert.ok((await readFile(dst)).equals(o.body), "downloaded bytes differ");
    const ranged = relay.log.filter((l) => l.method === "GET" && l.range !== undefined);
    assert.ok(ranged.length >= 3, `expected ranged GETs: ${JSON.stringify(relay.log)}`);
    // 8 MiB chunks are whole records: every ciphertext byte is fetched once, give or take a record per chunk
    const fetched = ranged.reduce((n, l) => n + l.bytes, 0);
    const pinned = ranged.filter((l) => l.ifMatch !== undefined).length;
    const heads = relay.log.filter((l) => l.method === "HEAD").length;
    console.log(
      `# aws cli download: ${JSON.stringify({ ranged: ranged.length, pinned, heads, fetched, stored: o.stored })}`,
    );
    assert.ok(fetched <= o.stored + ranged.length * R, `${fetched} upstream bytes for ${o.stored} stored`);
  });

  it("hit no unexpected failure inside the proxy along the way", () => {
    const internal = proxy.logs.filter((l) => l.includes('"code":"InternalError"'));
    assert.deepEqual(internal, []);
  });
});
