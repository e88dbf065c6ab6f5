/**
 * The encrypting step against a fake S3 origin that stores exactly what it receives: PutObject stores
 * ciphertext with a compact envelope and re-signed requests, GetObject/HeadObject give the plaintext back,
 * legacy plaintext objects pass through, and a tampered stored object never yields wrong plaintext.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ciphertextLength, metadataBytes } from "../../src/crypto/index.ts";
import {
  generateKek,
  KeyProviderUnavailableError,
  LocalKeyProvider,
  type KeyProvider,
} from "../../src/keys/index.ts";
import { encryptingStep } from "../../src/pipeline/encryptingStep.ts";
import { checksumOf } from "../../src/s3body/checksums.ts";
import { proxyCredentials } from "../../src/sigv4/proxyCredentials.ts";
import { startInProcessProxy, type InProcessProxy } from "../helpers/inProcessProxy.ts";
import { createTestPki, type TestPki } from "../helpers/testPki.ts";
import { requestOver, tlsVia, type SimpleResponse } from "../helpers/viaProxy.ts";

const HOST = "bucket.s3.us-east-1.amazonaws.com";
const CANARY = "plaintext-canary-7f3a";
const PROXY_KEY_ID = "AKIDPROXYTEST";

interface Stored {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let pki: TestPki;
let proxy: InProcessProxy;
let origin: ReturnType<typeof createHttpsServer>;
const objects = new Map<string, Stored>();
const authorizations: string[] = [];

/** Response headers the origin echoes back from what was stored (like S3: metadata, type, length). */
function storedHeaders(s: Stored): Record<string, string> {
  const out: Record<string, string> = { "content-length": String(s.body.length), etag: '"e"' };
  for (const [name, value] of Object.entries(s.headers)) {
    if (typeof value !== "string") continue;
    if (name.startsWith("x-amz-meta-") || name === "content-type") out[name] = value;
  }
  // Like S3 with checksum mode: a checksum of the stored (cipher)text the proxy must not pass on.
  out["x-amz-checksum-crc32"] = checksumOf("CRC32", s.body);
  return out;
}

before(async () => {
  pki = await createTestPki();
  const { key, cert } = pki.serverCert("127.0.0.1");
  origin = createHttpsServer({ key, cert }, (req, res) => {
    authorizations.push(req.headers.authorization ?? "");
    const path = req.url ?? "/";
    if (req.method === "PUT") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        if (body.length === Number(req.headers["content-length"]))
          objects.set(path, { headers: req.headers, body });
        res.setHeader("etag", '"e"');
        res.end();
      });
      return;
    }
    req.resume();
    const s = objects.get(path);
    if (!s) {
      res.writeHead(404, { "content-type": "application/xml" });
      res.end("<Error><Code>NoSuchKey</Code></Error>");
      return;
    }
    res.writeHead(200, storedHeaders(s));
    res.end(req.method === "HEAD" ? undefined : s.body);
  });
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  proxy = await startInProcessProxy({
    upstreamEndpoint: `https://127.0.0.1:${(origin.address() as AddressInfo).port}`,
    upstreamCaPem: pki.ca.certPem,
    passthrough: false,
    step: encryptingStep({
      keys: new LocalKeyProvider({ active: "unit-1", keys: [generateKek("unit-1")] }),
      credentials: proxyCredentials({ kind: "static", accessKeyId: PROXY_KEY_ID, secretAccessKey: "s" }),
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

const ask = async (
  method: string,
  path: string,
  opts: { body?: Buffer; headers?: Record<string, string | number> } = {},
): Promise<SimpleResponse> => {
  const tls = await tlsVia(proxy.port, `${HOST}:443`, { servername: HOST, ca: proxy.ca.certPem });
  return requestOver(tls, {
    method,
    path,
    host: HOST,
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", ...opts.headers },
    ...(opts.body ? { body: opts.body } : {}),
  });
};

const md5 = (b: Buffer): string => createHash("md5").update(b).digest("base64");
const plaintextOf = (size: number): Buffer => {
  const b = randomBytes(size);
  if (size >= CANARY.length) b.write(CANARY, Math.floor((size - CANARY.length) / 2));
  return b;
};

/** GET that reports a broken connection as `undefined` instead of throwing. */
async function tryGet(path: string): Promise<SimpleResponse | undefined> {
  try {
    return await ask("GET", path);
  } catch {
    return undefined;
  }
}

describe("encryptingStep", () => {
  for (const size of [0, 1, 65535, 65536, 65537, 300_000]) {
    it(`PUT stores ciphertext and GET/HEAD return the plaintext (${size} B)`, async () => {
      const body = plaintextOf(size);
      const path = `/obj-${size}`;
      const put = await ask("PUT", path, {
        body,
        headers: { "content-md5": md5(body), "content-type": "text/x-test", "x-amz-meta-user": "kept" },
      });
      assert.equal(put.status, 200, put.body.toString());
      assert.equal(put.headers["x-amz-checksum-crc32"], undefined);

      const stored = objects.get(path);
      assert.ok(stored, "nothing stored upstream");
      assert.equal(stored.body.length, ciphertextLength(size, 16));
      assert.equal(stored.body.indexOf(CANARY), -1, "plaintext canary stored upstream");
      if (size > 0) assert.ok(!stored.body.equals(body));
      assert.equal(stored.headers["content-md5"], undefined);
      assert.equal(stored.headers["content-type"], "text/x-test");
      assert.equal(stored.headers["x-amz-meta-user"], "kept");
      const envelope: Record<string, string> = {};
      for (const [name, value] of Object.entries(stored.headers)) {
        if (name.startsWith("x-amz-meta-s3proxy-") && typeof value === "string") envelope[name] = value;
      }
      // Content-MD5 was sent, so the sealed plaintext MD5 is recorded (FORMAT §2.1) and is the ETag.
      assert.deepEqual(Object.keys(envelope).sort(), [
        "x-amz-meta-s3proxy-dek",
        "x-amz-meta-s3proxy-hdr",
        "x-amz-meta-s3proxy-kek",
        "x-amz-meta-s3proxy-md5",
      ]);
      const plaintextEtag = `"${Buffer.from(md5(body), "base64").toString("hex")}"`;
      assert.equal(put.headers.etag, plaintextEtag);
      assert.ok(metadataBytes(envelope) < 2048, `envelope is ${metadataBytes(envelope)} bytes`);
      assert.match(authorizations.at(-1) ?? "", new RegExp(`Credential=${PROXY_KEY_ID}/`));

      const get = await ask("GET", path);
      assert.equal(get.status, 200);
      assert.equal(get.headers["content-length"], String(size));
      assert.ok(get.body.equals(body), "GET returned different bytes");
      assert.equal(get.headers["x-amz-meta-user"], "kept");
      assert.equal(get.headers.etag, plaintextEtag);
      assert.equal(get.headers["x-amz-checksum-crc32"], undefined);
      for (const name of Object.keys(get.headers)) assert.ok(!name.startsWith("x-amz-meta-s3proxy-"), name);

      const head = await ask("HEAD", path);
      assert.equal(head.status, 200);
      assert.equal(head.headers["content-length"], String(size));
      assert.equal(head.body.length, 0);
      for (const name of Object.keys(head.headers)) assert.ok(!name.startsWith("x-amz-meta-s3proxy-"), name);
    });
  }

  it("decodes aws-chunked bodies with a CRC32 trailer", async () => {
    const body = plaintextOf(70_000);
    const wire = Buffer.concat([
      Buffer.from(`${(40_000).toString(16)}\r\n`),
      body.subarray(0, 40_000),
      Buffer.from(`\r\n${(30_000).toString(16)}\r\n`),
      body.subarray(40_000),
      Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${checksumOf("CRC32", body)}\r\n\r\n`),
    ]);
    const put = await ask("PUT", "/chunked", {
      body: wire,
      headers: {
        "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": body.length,
        "x-amz-trailer": "x-amz-checksum-crc32",
        "x-amz-sdk-checksum-algorithm": "CRC32",
      },
    });
    assert.equal(put.status, 200, put.body.toString());
    const stored = objects.get("/chunked");
    assert.ok(stored);
    assert.equal(stored.headers["content-encoding"], undefined);
    assert.equal(stored.headers["x-amz-trailer"], undefined);
    assert.equal(stored.headers["x-amz-decoded-content-length"], undefined);
    const get = await ask("GET", "/chunked");
    assert.ok(get.body.equals(body));
  });

  it("passes legacy plaintext objects through", async () => {
    const body = Buffer.from(`legacy ${CANARY}`);
    objects.set("/legacy", { headers: { "content-type": "text/plain" }, body });
    const get = await ask("GET", "/legacy");
    assert.equal(get.status, 200);
    assert.ok(get.body.equals(body));
    const head = await ask("HEAD", "/legacy");
    assert.equal(head.headers["content-length"], String(body.length));
  });

  it("relays 404 for missing objects", async () => {
    const get = await ask("GET", "/missing");
    assert.equal(get.status, 404);
    assert.match(get.body.toString(), /NoSuchKey/);
  });

  for (const [name, tamper] of [
    ["one flipped ciphertext byte", (s: Stored) => void (s.body[100] = (s.body[100] ?? 0) ^ 1)],
    [
      "a flipped byte in the last record",
      (s: Stored) => void (s.body[s.body.length - 5] = (s.body[s.body.length - 5] ?? 0) ^ 0x80),
    ],
    ["a truncated body", (s: Stored) => void (s.body = s.body.subarray(0, s.body.length - 1))],
    ["a body cut at a record boundary", (s: Stored) => void (s.body = s.body.subarray(0, 65536 + 32))],
    [
      "an edited envelope header",
      (s: Stored) => {
        const hdr = s.headers["x-amz-meta-s3proxy-hdr"] as string;
        const i = 20;
        s.headers["x-amz-meta-s3proxy-hdr"] =
          hdr.slice(0, i) + (hdr[i] === "A" ? "B" : "A") + hdr.slice(i + 1);
      },
    ],
    [
      "an edited wrapped DEK",
      (s: Stored) => {
        const dek = s.headers["x-amz-meta-s3proxy-dek"] as string;
        s.headers["x-amz-meta-s3proxy-dek"] = (dek[0] === "A" ? "B" : "A") + dek.slice(1);
      },
    ],
  ] as const) {
    it(`never returns wrong plaintext for ${name}`, async () => {
      const body = plaintextOf(150_000);
      const path = `/tamper-${name.replaceAll(" ", "-")}`;
      const put = await ask("PUT", path, { body });
      assert.equal(put.status, 200);
      const stored = objects.get(path);
      assert.ok(stored);
      tamper(stored);
      const get = await tryGet(path);
      if (get === undefined) return; // broken connection: the honest signal once headers are out
      assert.ok(get.status >= 500, `status ${get.status}`);
      assert.match(get.body.toString(), /<Code>ProxyDecryptFailed<\/Code>/);
    });
  }

  it("refuses a bad Content-MD5 with BadDigest and completes nothing upstream", async () => {
    const body = plaintextOf(200_000);
    const put = await ask("PUT", "/bad-md5", { body, headers: { "content-md5": md5(Buffer.from("other")) } });
    assert.equal(put.status, 400);
    assert.match(put.body.toString(), /<Code>BadDigest<\/Code>/);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(objects.has("/bad-md5"), false);
  });

  it("refuses client-sent x-amz-meta-s3proxy-* metadata", async () => {
    const put = await ask("PUT", "/reserved", {
      body: Buffer.from("x"),
      headers: { "x-amz-meta-s3proxy-kek": "aeskw:evil" },
    });
    assert.equal(put.status, 400);
    assert.match(put.body.toString(), /<Code>InvalidArgument<\/Code>/);
    assert.equal(objects.has("/reserved"), false);
  });

  it("refuses a body of unknown length with MissingContentLength before reading it", async () => {
    const put = await ask("PUT", "/no-length", {
      body: Buffer.from(CANARY),
      headers: { "transfer-encoding": "chunked" },
    });
    assert.equal(put.status, 411);
    assert.match(put.body.toString(), /<Code>MissingContentLength<\/Code>/);
    assert.equal(objects.has("/no-length"), false);
  });

  it("serves a ranged read even from an origin that ignores Range (answers 200 with everything)", async () => {
    const body = plaintextOf(200_000);
    assert.equal((await ask("PUT", "/ranged", { body })).status, 200);
    const res = await ask("GET", "/ranged", { headers: { range: "bytes=70000-70009" } });
    assert.equal(res.status, 206);
    assert.equal(res.headers["content-range"], "bytes 70000-70009/200000");
    assert.ok(res.body.equals(body.subarray(70000, 70010)));
  });
});

describe("encryptingStep with a key provider that is down", () => {
  it("answers 503 ServiceUnavailable and stores nothing", async () => {
    const down: KeyProvider = {
      scheme: "aeskw",
      activeKekId: () => "down",
      listKekIds: () => ["down"],
      wrapDek: () => Promise.reject(new KeyProviderUnavailableError("test: provider down")),
      unwrapDek: () => Promise.reject(new KeyProviderUnavailableError("test: provider down")),
    };
    const p = await startInProcessProxy({
      upstreamEndpoint: `https://127.0.0.1:${(origin.address() as AddressInfo).port}`,
      upstreamCaPem: pki.ca.certPem,
      passthrough: false,
      step: encryptingStep({
        keys: down,
        credentials: proxyCredentials({ kind: "static", accessKeyId: PROXY_KEY_ID, secretAccessKey: "s" }),
        region: "us-east-1",
        continueTimeoutMs: 1000,
      }),
    });
    try {
      const tls = await tlsVia(p.port, `${HOST}:443`, { servername: HOST, ca: p.ca.certPem });
      const put = await requestOver(tls, {
        method: "PUT",
        path: "/down",
        host: HOST,
        headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
        body: Buffer.from(CANARY),
      });
      assert.equal(put.status, 503);
      assert.match(put.body.toString(), /<Code>ServiceUnavailable<\/Code>/);
      assert.equal(objects.has("/down"), false);
    } finally {
      await p.stop();
    }
  });
});
