/**
 * Range and partNumber reads through the encrypting step, in process, against a fake S3 origin that stores what
 * it is given and answers ranged GETs, If-Match and 416 as S3 does, and logs every request with the bytes it
 * sent. Checks the plaintext slices and headers, the upstream requests and bytes each read costs, legacy
 * pass-through, multipart part geometry (K from record 0, cached), partNumber, If-Range, the 416/InvalidPart-
 * Number/InvalidRequest answers, an object replaced mid-read, and that tampered records never yield bytes.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  ciphertextLength,
  createEncryptStream,
  createEnvelope,
  encodeEnvelopeMetadata,
  openObjectKeys,
  recordSize,
  segmentSize,
} from "../../src/crypto/index.ts";
import { dekContextFor, generateKek, LocalKeyProvider } from "../../src/keys/index.ts";
import { encryptingStep } from "../../src/pipeline/encryptingStep.ts";
import { proxyCredentials } from "../../src/sigv4/proxyCredentials.ts";
import { startInProcessProxy, type InProcessProxy } from "../helpers/inProcessProxy.ts";
import { createTestPki, type TestPki } from "../helpers/testPki.ts";
import { requestOver, tlsVia, type SimpleResponse } from "../helpers/viaProxy.ts";

const HOST = "bucket.s3.us-east-1.amazonaws.com";
const S = segmentSize(16);
const R = recordSize(16);

interface Stored {
  meta: Record<string, string>;
  body: Buffer;
}
interface Logged {
  method: string;
  path: string;
  range: string | undefined;
  ifMatch: string | undefined;
  ifRange: string | string[] | undefined;
  status: number;
  bytes: number;
}

let pki: TestPki;
let proxy: InProcessProxy;
let origin: ReturnType<typeof createHttpsServer>;
const keys = new LocalKeyProvider({ active: "unit-1", keys: [generateKek("unit-1")] });
const objects = new Map<string, Stored>();
let log: Logged[] = [];
/** Called after each answered request: lets a test replace an object between two upstream requests. */
let afterRequest: ((path: string) => void) | undefined;

const etagOf = (s: Stored): string => `"${createHash("md5").update(s.body).digest("hex")}"`;

/** An S3-like answer to a single `bytes=` range over `size` bytes: [start, end), "whole" or 416. */
function originRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 416 | "whole" {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header);
  if (m === null || (m[1] === "" && m[2] === "")) return "whole";
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return 416;
    return size === 0 ? "whole" : { start: Math.max(0, size - n), end: size };
  }
  const first = Number(m[1]);
  if (m[2] !== "" && Number(m[2]) < first) return "whole";
  if (first >= size) return 416;
  return { start: first, end: m[2] === "" ? size : Math.min(size, Number(m[2]) + 1) };
}

function answer(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
): { status: number; head: Record<string, string>; body: Buffer } {
  const key = path.split("?")[0] ?? path;
  const s = objects.get(key);
  if (s === undefined)
    return {
      status: 404,
      head: { "content-type": "application/xml" },
      body: Buffer.from("<Error><Code>NoSuchKey</Code></Error>"),
    };
  const etag = etagOf(s);
  const ifMatch = headers["if-match"];
  // Like S3 (and radosgw's GET), a bare ETag matches as well as a quoted one.
  const bare = (tag: string): string => tag.replace(/"/g, "");
  if (ifMatch !== undefined && bare(ifMatch) !== bare(etag) && ifMatch !== "*") {
    return {
      status: 412,
      head: { "content-type": "application/xml" },
      body: Buffer.from("<Error><Code>PreconditionFailed</Code></Error>"),
    };
  }
  const base = {
    ...s.meta,
    etag,
    "last-modified": "Wed, 25 Nov 2026 10:00:00 GMT",
    "accept-ranges": "bytes",
  };
  const part = /[?&]partNumber=(\d+)/.exec(path)?.[1];
  const range =
    part !== undefined
      ? part === "1"
        ? { start: 0, end: s.body.length }
        : 416
      : originRange(headers.range, s.body.length);
  if (range === 416) {
    return {
      status: 416,
      head: { "content-type": "application/xml", "content-range": `bytes */${s.body.length}` },
      body: Buffer.from("<Error><Code>InvalidRange</Code></Error>"),
    };
  }
  if (range === "whole" || method === "HEAD")
    return { status: 200, head: { ...base, "content-length": String(s.body.length) }, body: s.body };
  return {
    status: 206,
    head: {
      ...base,
      "content-range": `bytes ${range.start}-${range.end - 1}/${s.body.length}`,
      "content-length": String(range.end - range.start),
    },
    body: s.body.subarray(range.start, range.end),
  };
}

before(async () => {
  pki = await createTestPki();
  const { key, cert } = pki.serverCert("127.0.0.1");
  origin = createHttpsServer({ key, cert }, (req, res) => {
    const path = req.url ?? "/";
    const method = req.method ?? "GET";
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (method === "PUT") {
        const meta: Record<string, string> = {};
        for (const [n, v] of Object.entries(req.headers))
          if (n.startsWith("x-amz-meta-") && typeof v === "string") meta[n] = v;
        objects.set(path.split("?")[0] ?? path, { meta, body: Buffer.concat(chunks) });
        res.writeHead(200, { etag: etagOf({ meta, body: Buffer.concat(chunks) }) }).end();
        return;
      }
      const a = answer(method, path, req.headers);
      const bytes = method === "HEAD" ? 0 : a.body.length;
      log.push({
        method,
        path,
        range: req.headers.range,
        ifMatch: req.headers["if-match"],
        ifRange: req.headers["if-range"],
        status: a.status,
        bytes,
      });
      res.writeHead(a.status, a.head);
      res.end(method === "HEAD" ? undefined : a.body);
      afterRequest?.(path);
    });
  });
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  proxy = await startInProcessProxy({
    upstreamEndpoint: `https://127.0.0.1:${(origin.address() as AddressInfo).port}`,
    upstreamCaPem: pki.ca.certPem,
    passthrough: false,
    step: encryptingStep({
      keys,
      credentials: proxyCredentials({ kind: "static", accessKeyId: "AKIDPROXYTEST", secretAccessKey: "s" }),
      region: "us-east-1",
      continueTimeoutMs: 1000,
    }),
  });
});
after(async () => {
  await proxy.stop();
  origin.close();
  await pki.cleanup();
});
beforeEach(() => {
  log = [];
  afterRequest = undefined;
});

async function ask(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<SimpleResponse> {
  const tls = await tlsVia(proxy.port, `${HOST}:443`, { servername: HOST, ca: proxy.ca.certPem });
  return requestOver(tls, {
    method,
    path,
    host: HOST,
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", ...headers },
    ...(body ? { body } : {}),
  });
}

/** A GET that reports a broken connection as undefined. */
async function tryAsk(path: string, headers: Record<string, string>): Promise<SimpleResponse | undefined> {
  try {
    return await ask("GET", path, headers);
  } catch {
    return undefined;
  }
}

async function putEncrypted(path: string, body: Buffer): Promise<void> {
  const md5 = createHash("md5").update(body).digest("base64");
  const put = await ask("PUT", path, { "content-md5": md5 }, body);
  assert.equal(put.status, 200, put.body.toString());
}

/** Stores a multipart-layout object directly (as the multipart writer will), parts of the given lengths. */
async function storeMultipart(path: string, body: Buffer, partLengths: readonly number[]): Promise<void> {
  const { header, dek } = createEnvelope({ layout: "multipart" });
  const wrapped = await keys.wrapDek(dek, dekContextFor(header));
  const objKeys = openObjectKeys(header, dek);
  const parts: Buffer[] = [];
  let at = 0;
  for (const [i, length] of partLengths.entries()) {
    const piece = body.subarray(at, at + length);
    at += length;
    const encrypt = createEncryptStream({ keys: objKeys, part: i + 1, plaintextLength: length });
    parts.push(await buffer(Readable.from([piece]).pipe(encrypt)));
  }
  assert.equal(at, body.length);
  const meta = encodeEnvelopeMetadata({ header, kekRef: wrapped.kekRef, wrappedDek: wrapped.wrappedDek });
  objects.set(path, { meta, body: Buffer.concat(parts) });
}

const upstreamBytes = (): number => log.reduce((n, l) => n + l.bytes, 0);
const gets = (): Logged[] => log.filter((l) => l.method === "GET");

describe("ranged reads of single-part encrypted objects", () => {
  const sizes = [0, 1, 65535, 65536, 65537, 300_000];
  const bodies = new Map<number, Buffer>();
  before(async () => {
    for (const size of sizes) {
      const body = randomBytes(size);
      bodies.set(size, body);
      await putEncrypted(`/single-${size}`, body);
    }
  });

  it("returns exactly the plaintext slice with S3's headers, from one upstream GET of the touched records", async () => {
    for (const size of sizes.filter((s) => s > 0)) {
      const body = bodies.get(size)!;
      const whole = await ask("GET", `/single-${size}`);
      for (const [range, start, end] of [
        ["bytes=0-0", 0, 1],
        [`bytes=0-${size - 1}`, 0, size],
        [`bytes=${size - 1}-`, size - 1, size],
        ["bytes=-1", size - 1, size],
        [`bytes=-${size + 10}`, 0, size],
        [
          `bytes=${Math.floor(size / 3)}-${Math.floor(size / 2)}`,
          Math.floor(size / 3),
          Math.floor(size / 2) + 1,
        ],
        [`bytes=${Math.floor(size / 2)}-${size * 2}`, Math.floor(size / 2), size],
      ] as const) {
        log = [];
        const res = await ask("GET", `/single-${size}`, { range });
        const what = `${size} B ${range}`;
        assert.equal(res.status, 206, `${what}: ${res.body.toString()}`);
        assert.ok(res.body.equals(body.subarray(start, end)), `${what}: wrong bytes`);
        assert.equal(res.headers["content-range"], `bytes ${start}-${end - 1}/${size}`, what);
        assert.equal(res.headers["content-length"], String(end - start), what);
        assert.equal(res.headers["accept-ranges"], "bytes", what);
        assert.equal(res.headers.etag, whole.headers.etag, `${what}: ETag differs from the whole GET's`);
        for (const name of Object.keys(res.headers)) assert.ok(!name.startsWith("x-amz-meta-s3proxy-"), name);
        // upstream: the records holding [start, end), and the final one when the range reaches the end
        const first = Math.floor(start / S);
        const c = ciphertextLength(size, 16);
        const cipherEnd = end === size ? c : Math.min(c, Math.floor((end - 1) / S + 1) * R);
        if (!range.startsWith("bytes=-")) {
          assert.equal(gets().length, 1, `${what}: ${JSON.stringify(log)}`);
          assert.equal(upstreamBytes(), cipherEnd - first * R, what);
        } else {
          assert.ok(upstreamBytes() <= cipherEnd - first * R + R, `${what}: ${JSON.stringify(log)}`);
        }
      }
    }
  });

  it("answers unsatisfiable ranges with 416 InvalidRange and the plaintext length", async () => {
    for (const [path, range, size] of [
      ["/single-300000", "bytes=300000-", 300_000],
      ["/single-65537", "bytes=65537-70000", 65537],
      ["/single-1", "bytes=-0", 1],
      ["/single-0", "bytes=0-0", 0],
      ["/single-0", "bytes=0-", 0],
      ["/single-65536", "bytes=99999999-", 65536], // the probe itself starts past the end: 416 upstream, then a HEAD
    ] as const) {
      const res = await ask("GET", path, { range });
      assert.equal(res.status, 416, `${path} ${range}: ${res.status}`);
      assert.match(res.body.toString(), /<Code>InvalidRange<\/Code>/);
      assert.equal(res.headers["content-range"], `bytes */${size}`, `${path} ${range}`);
    }
  });

  it("answers a suffix range of the empty object with 200 and no body, as S3 does", async () => {
    const res = await ask("GET", "/single-0", { range: "bytes=-5" });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    assert.equal(res.headers["content-range"], undefined);
  });

  it("ignores ranges S3 ignores: whole object, 200, no Range upstream", async () => {
    for (const range of ["bytes=0-1,5-6", "bytes=5-1", "items=0-1", "bytes=-"]) {
      log = [];
      const res = await ask("GET", "/single-65537", { range });
      assert.equal(res.status, 200, range);
      assert.ok(res.body.equals(bodies.get(65537)!), range);
      assert.equal(res.headers["content-range"], undefined);
      assert.deepEqual(
        log.map((l) => l.range),
        [undefined],
        range,
      );
    }
  });

  it("serves HEAD with a Range: the slice's length and Content-Range, no body", async () => {
    const res = await ask("HEAD", "/single-300000", { range: "bytes=100-199" });
    assert.equal(res.status, 206);
    assert.equal(res.headers["content-length"], "100");
    assert.equal(res.headers["content-range"], "bytes 100-199/300000");
    assert.deepEqual(
      log.map((l) => [l.method, l.range]),
      [["HEAD", undefined]],
    );
    const bad = await ask("HEAD", "/single-300000", { range: "bytes=300000-" });
    assert.equal(bad.status, 416);
    assert.equal(bad.headers["content-range"], "bytes */300000");
  });

  it("treats a single-part object as part 1, and refuses other parts and Range with partNumber", async () => {
    const one = await ask("GET", "/single-300000?partNumber=1");
    assert.equal(one.status, 206);
    assert.ok(one.body.equals(bodies.get(300_000)!));
    assert.equal(one.headers["content-range"], "bytes 0-299999/300000");
    assert.equal(one.headers["x-amz-mp-parts-count"], undefined);
    assert.ok(
      log.every((l) => !l.path.includes("partNumber")),
      "partNumber went upstream",
    );
    assert.equal(upstreamBytes(), ciphertextLength(300_000, 16), "a record was fetched twice");
    const head = await ask("HEAD", "/single-300000?partNumber=1");
    assert.deepEqual([head.status, head.headers["content-length"]], [206, "300000"]);
    const two = await ask("GET", "/single-300000?partNumber=2");
    assert.equal(two.status, 416);
    assert.match(two.body.toString(), /<Code>InvalidPartNumber<\/Code>/);
    const both = await ask("GET", "/single-300000?partNumber=1", { range: "bytes=0-1" });
    assert.equal(both.status, 400);
    assert.match(both.body.toString(), /<Code>InvalidRequest<\/Code>/);
    const empty = await ask("GET", "/single-0?partNumber=1");
    assert.deepEqual([empty.status, empty.body.length], [200, 0]);
  });

  it("honours If-Range against the client-visible ETag and Last-Modified", async () => {
    const etag = (await ask("HEAD", "/single-65537")).headers.etag!;
    const body = bodies.get(65537)!;
    const fresh = await ask("GET", "/single-65537", { range: "bytes=10-19", "if-range": etag });
    assert.equal(fresh.status, 206);
    assert.ok(fresh.body.equals(body.subarray(10, 20)));
    const byDate = await ask("GET", "/single-65537", {
      range: "bytes=10-19",
      "if-range": "Wed, 25 Nov 2026 10:00:00 GMT",
    });
    assert.equal(byDate.status, 206);
    const stale = await ask("GET", "/single-65537", { range: "bytes=10-19", "if-range": '"0000"' });
    assert.equal(stale.status, 200);
    assert.ok(stale.body.equals(body));
    assert.ok(
      log.every((l) => l.ifRange === undefined),
      "If-Range went upstream",
    );
  });

  it("keeps preconditions working with ranges: 304 and 412 come before the range", async () => {
    const etag = (await ask("HEAD", "/single-65537")).headers.etag!;
    const notModified = await ask("GET", "/single-65537", { range: "bytes=0-9", "if-none-match": etag });
    assert.equal(notModified.status, 304);
    const failed = await ask("GET", "/single-65537", { range: "bytes=0-9", "if-match": '"other"' });
    assert.equal(failed.status, 412);
    const ok = await ask("GET", "/single-65537", { range: "bytes=0-9", "if-match": etag });
    assert.equal(ok.status, 206);
    assert.ok(ok.body.equals(bodies.get(65537)!.subarray(0, 10)));
    const partOk = await ask("GET", "/single-65537?partNumber=1", { "if-match": etag });
    assert.equal(partOk.status, 206);
  });

  it("answers 503 ProxyObjectChanged when the object is replaced between the probe and a follow-up", async () => {
    const body = randomBytes(5 * S + 100);
    await putEncrypted("/changing", body);
    afterRequest = (path) => {
      if (path.startsWith("/changing")) {
        afterRequest = undefined;
        const s = objects.get("/changing")!;
        objects.set("/changing", {
          ...s,
          body: Buffer.concat([s.body.subarray(0, 10), Buffer.from("x"), s.body.subarray(11)]),
        });
      }
    };
    // the last S + 200 bytes start in record 3, before the probe's 2 records: one pinned follow-up for it
    const res = await ask("GET", "/changing", { range: `bytes=-${S + 200}` });
    assert.equal(res.status, 503, res.body.toString());
    assert.match(res.body.toString(), /<Code>ProxyObjectChanged<\/Code>/);
    assert.ok(log.some((l) => l.status === 412));
  });

  it("never returns bytes of a tampered record inside the range", async () => {
    const body = randomBytes(4 * S);
    await putEncrypted("/tampered", body);
    const stored = objects.get("/tampered")!;
    stored.body[R + 100] = (stored.body[R + 100] ?? 0) ^ 1; // inside record 1
    for (const range of [`bytes=${S}-${S + 10}`, `bytes=0-${3 * S}`, `bytes=-${3 * S}`]) {
      const res = await tryAsk("/tampered", { range });
      if (res === undefined) continue; // the connection broke: the honest signal once headers are out
      assert.ok(res.status >= 500, `${range}: ${res.status}`);
      assert.ok(!res.body.includes(body.subarray(S, S + 10)), "plaintext of the tampered record released");
    }
    const untouched = await ask("GET", "/tampered", { range: `bytes=${2 * S}-${2 * S + 9}` });
    assert.equal(untouched.status, 206);
    assert.ok(untouched.body.equals(body.subarray(2 * S, 2 * S + 10)));
  });
});

describe("ranged reads of legacy (plaintext) objects", () => {
  const body = randomBytes(70_000);
  before(() => {
    objects.set("/legacy", { meta: {}, body });
  });

  it("passes the client's Range through, pinned to the object the probe saw", async () => {
    for (const [range, start, end] of [
      ["bytes=66000-66009", 66000, 66010],
      ["bytes=-10", 69990, 70000],
      ["bytes=65540-", 65540, 70000],
    ] as const) {
      log = [];
      const res = await ask("GET", "/legacy", { range });
      assert.equal(res.status, 206, range);
      assert.ok(res.body.equals(body.subarray(start, end)), range);
      assert.equal(res.headers["content-range"], `bytes ${start}-${end - 1}/70000`);
      const last = log.at(-1)!;
      assert.deepEqual(
        [last.range, last.ifMatch],
        [range, etagOf(objects.get("/legacy")!)],
        JSON.stringify(log),
      );
    }
    const small = { meta: {}, body: randomBytes(65560) };
    objects.set("/legacy-small", small);
    const res = await ask("GET", "/legacy-small", { range: "bytes=65540-" }); // probe 416s, the HEAD tells
    assert.equal(res.status, 206);
    assert.ok(res.body.equals(small.body.subarray(65540)));
    const bad = await ask("GET", "/legacy", { range: "bytes=80000-" });
    assert.equal(bad.status, 416);
    const part = await ask("GET", "/legacy?partNumber=1");
    assert.equal(part.status, 206);
    assert.ok(part.body.equals(body));
    assert.ok(log.at(-1)!.path.includes("partNumber=1"));
  });
});

describe("ranged and partNumber reads of multipart-layout objects", () => {
  // K = 2 records per part (128 KiB parts), 3 parts, an odd last part
  const partSize = 2 * S;
  const body = randomBytes(2 * partSize + 1000);
  before(async () => {
    await storeMultipart("/mp", body, [partSize, partSize, 1000]);
    await storeMultipart("/mp-empty-last", body.subarray(0, 2 * partSize), [partSize, partSize, 0]);
  });

  it("learns K from record 0 once, then from the cache", async () => {
    const range = `bytes=${3 * S + 5}-${3 * S + 9}`;
    const first = await ask("GET", "/mp", { range });
    assert.equal(first.status, 206);
    assert.ok(first.body.equals(body.subarray(3 * S + 5, 3 * S + 10)));
    assert.deepEqual(
      gets().map((l) => l.range),
      [`bytes=${3 * R}-${4 * R - 1}`, `bytes=0-${R - 1}`],
    );
    log = [];
    const again = await ask("GET", "/mp", { range: `bytes=${2 * S}-` });
    assert.ok(again.body.equals(body.subarray(2 * S)));
    assert.equal(gets().length, 1, "K was not cached");
  });

  it("returns each logical part with a plaintext Content-Range and x-amz-mp-parts-count", async () => {
    for (const [n, start, end] of [
      [1, 0, partSize],
      [2, partSize, 2 * partSize],
      [3, 2 * partSize, body.length],
    ] as const) {
      log = [];
      const res = await ask("GET", `/mp?partNumber=${n}`);
      assert.equal(res.status, 206, `part ${n}: ${res.body.toString()}`);
      assert.ok(res.body.equals(body.subarray(start, end)), `part ${n}`);
      assert.equal(res.headers["content-range"], `bytes ${start}-${end - 1}/${body.length}`);
      assert.equal(res.headers["x-amz-mp-parts-count"], "3");
      const head = await ask("HEAD", `/mp?partNumber=${n}`);
      assert.deepEqual(
        [head.status, head.headers["content-length"], head.headers["x-amz-mp-parts-count"]],
        [206, String(end - start), "3"],
      );
    }
    const none = await ask("GET", "/mp?partNumber=4");
    assert.equal(none.status, 416);
    assert.match(none.body.toString(), /<Code>InvalidPartNumber<\/Code>/);
  });

  it("learns K for a partNumber read from the probe's record 0 (GET) or one pinned GET of it (HEAD)", async () => {
    for (const [n, start, end] of [
      [2, partSize, 2 * partSize],
      [1, 0, partSize],
    ] as const) {
      const path = `/mp-fresh-${n}`;
      await storeMultipart(path, body, [partSize, partSize, 1000]); // a new envelope: K not cached
      log = [];
      const res = await ask("GET", `${path}?partNumber=${n}`);
      assert.equal(res.status, 206, res.body.toString());
      assert.ok(res.body.equals(body.subarray(start, end)), `part ${n}`);
      assert.equal(res.headers["x-amz-mp-parts-count"], "3");
      // the probe (record 0) and the rest of the part; no record fetched twice for part 1
      assert.equal(gets().length, 2, JSON.stringify(log));
      if (n === 1) assert.equal(upstreamBytes(), 2 * R);
    }
    await storeMultipart("/mp-fresh-head", body, [partSize, partSize, 1000]);
    log = [];
    const head = await ask("HEAD", "/mp-fresh-head?partNumber=3");
    assert.deepEqual(
      [head.status, head.headers["content-length"], head.headers["content-range"]],
      [206, "1000", `bytes ${2 * partSize}-${2 * partSize + 999}/${body.length}`],
    );
    assert.deepEqual(
      log.map((l) => [l.method, l.range]),
      [
        ["HEAD", undefined],
        ["GET", `bytes=0-${R - 1}`],
      ],
    );
  });

  it("reads ranges across part boundaries and an empty last part", async () => {
    const across = await ask("GET", "/mp", { range: `bytes=${partSize - 10}-${partSize + 9}` });
    assert.ok(across.body.equals(body.subarray(partSize - 10, partSize + 10)));
    const mp = body.subarray(0, 2 * partSize);
    const tail = await ask("GET", "/mp-empty-last", { range: "bytes=-100" });
    assert.equal(tail.status, 206);
    assert.ok(tail.body.equals(mp.subarray(mp.length - 100)));
    const second = await ask("GET", "/mp-empty-last?partNumber=2");
    assert.equal(second.status, 206);
    assert.ok(second.body.equals(mp.subarray(partSize)));
    assert.equal(second.headers["x-amz-mp-parts-count"], "3");
    const empty = await ask("GET", "/mp-empty-last?partNumber=3");
    assert.deepEqual([empty.status, empty.body.length, empty.headers["content-range"]], [200, 0, undefined]);
  });
});
