/**
 * The *intercept* route with the pass-through step, against a local HTTPS origin standing in for S3:
 * certificate issuance, exact forwarding of signed request parts, HTTP correctness (hop-by-hop, chunked,
 * 100-continue, smuggling guards, Host pinning) and error/abort propagation.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { pipeline } from "node:stream/promises";
import { startInProcessProxy, type InProcessProxy } from "../helpers/inProcessProxy.ts";
import { patternSha256, patternStream, sha256Of } from "../helpers/patternStream.ts";
import { createTestPki, type TestPki } from "../helpers/testPki.ts";
import { requestOver, tlsVia } from "../helpers/viaProxy.ts";

const HOST = "bucket.s3.us-east-1.amazonaws.com";
let pki: TestPki;
let proxy: InProcessProxy;
let origin: ReturnType<typeof createHttpsServer>;
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler;
const seen: { method: string; url: string; rawHeaders: string[]; sha: string; bytes: number }[] = [];

const echoHandler: Handler = (req, res) => {
  void sha256Of(req).then(({ hex, bytes }) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", rawHeaders: req.rawHeaders, sha: hex, bytes });
    res.writeHead(200, [
      "Content-Type",
      "text/plain",
      "Connection",
      "X-Hop",
      "X-Hop",
      "1",
      "x-amz-request-id",
      "O1",
    ]);
    res.end("done");
  });
};

before(async () => {
  pki = await createTestPki();
  const { key, cert } = pki.serverCert("127.0.0.1");
  origin = createHttpsServer({ key, cert }, (req, res) => handler(req, res));
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  proxy = await startInProcessProxy({
    upstreamEndpoint: `https://127.0.0.1:${(origin.address() as AddressInfo).port}`,
    upstreamCaPem: pki.ca.certPem,
  });
});
beforeEach(() => {
  handler = echoHandler;
  seen.length = 0;
});
after(async () => {
  await proxy.stop();
  origin.close();
  await pki.cleanup();
});

const open = () => tlsVia(proxy.port, `${HOST}:443`, { servername: HOST, ca: proxy.ca.certPem });

describe("intercept route", () => {
  it("presents a leaf for the requested name chained to ca/ca.pem", async () => {
    const tls = await open();
    const leaf = new X509Certificate(tls.getPeerX509Certificate()?.raw ?? Buffer.alloc(0));
    assert.equal(leaf.checkIssued(new X509Certificate(proxy.ca.certPem)), true);
    assert.match(leaf.subjectAltName ?? "", new RegExp(`DNS:${HOST.replace(/\./g, "\\.")}`));
    assert.equal(tls.alpnProtocol, "http/1.1");
    tls.destroy();
  });

  it("forwards method, exact path bytes, Host and signed headers; strips hop-by-hop both ways", async () => {
    const tls = await open();
    const path = "/a%20b/%E2%9C%93/./x?list-type=2&prefix=%2F&y=";
    const res = await requestOver(tls, {
      path,
      host: HOST,
      headers: {
        "x-amz-date": "20261126T000000Z",
        Authorization: "AWS4-HMAC-SHA256 x",
        Connection: "X-Drop",
        "X-Drop": "1",
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), "done");
    assert.equal(res.headers["x-hop"], undefined);
    assert.equal(res.headers["x-amz-request-id"], "O1");
    const got = seen[0];
    assert.ok(got);
    assert.equal(got.url, path);
    const names = got.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    assert.equal(got.rawHeaders[names.indexOf("host") * 2 + 1], HOST);
    assert.ok(names.includes("x-amz-date") && names.includes("authorization"));
    assert.ok(!names.includes("x-drop"), "names listed in Connection are hop-by-hop");
    tls.destroy();
  });

  it("keeps intercepted connections alive across requests", async () => {
    const tls = await open();
    tls.write(`GET /one HTTP/1.1\r\nHost: ${HOST}\r\n\r\nGET /two HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
    let raw = "";
    await new Promise<void>((resolve) => {
      tls.on("data", (d: Buffer) => {
        raw += d.toString();
        if ((raw.match(/done/g) ?? []).length === 2) resolve();
      });
    });
    assert.equal((raw.match(/^HTTP\/1\.1 200/gm) ?? []).length, 2);
    assert.deepEqual(
      seen.map((s) => s.url),
      ["/one", "/two"],
    );
    tls.destroy();
  });

  it("streams a chunked upload", async () => {
    const tls = await open();
    const size = 5 * 1024 * 1024 + 3;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest({
        createConnection: () => tls,
        method: "PUT",
        path: "/k",
        headers: { host: HOST },
      });
      req.on("response", resolve).on("error", reject);
      void pipeline(patternStream("up", size), req);
    });
    res.resume();
    assert.equal(res.statusCode, 200);
    assert.equal(seen[0]?.bytes, size);
    assert.equal(seen[0]?.sha, await patternSha256("up", size));
    const te = seen[0]?.rawHeaders.find((_, i, a) => a[i - 1]?.toLowerCase() === "transfer-encoding");
    assert.equal(te, "chunked");
    tls.destroy();
  });

  it("honours Expect: 100-continue end to end, and a refusal before the body", async () => {
    const tls = await open();
    const continued = await new Promise<boolean>((resolve, reject) => {
      const req = httpRequest({
        createConnection: () => tls,
        method: "PUT",
        path: "/e",
        headers: { host: HOST, expect: "100-continue", "content-length": 5 },
      });
      let sawContinue = false;
      req.on("continue", () => {
        sawContinue = true;
        req.end("hello");
      });
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve(sawContinue));
      });
      req.on("error", reject);
      req.flushHeaders();
    });
    assert.equal(continued, true);
    assert.equal(seen[0]?.bytes, 5);

    handler = (_req, res) => {
      res.writeHead(403, { "content-type": "application/xml" });
      res.end("<Error><Code>AccessDenied</Code></Error>");
    };
    origin.once("checkContinue", (req: IncomingMessage, res: ServerResponse) => handler(req, res));
    const tls2 = await open();
    const refused = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      const req = httpRequest({
        createConnection: () => tls2,
        method: "PUT",
        path: "/e2",
        headers: { host: HOST, expect: "100-continue", "content-length": 5 },
      });
      let sawContinue = false;
      req.on("continue", () => (sawContinue = true));
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, continued: sawContinue }));
      });
      req.on("error", reject);
      req.flushHeaders();
    });
    assert.deepEqual(refused, { status: 403, continued: false });
    tls2.destroy();
    tls.destroy();
  });

  it("pins requests to the intercepted host (421) and refuses duplicate Host (400), as S3 XML", async () => {
    const tls = await open();
    const other = await requestOver(tls, { path: "/", host: "other.s3.amazonaws.com" });
    assert.equal(other.status, 421);
    assert.match(other.body.toString(), /<Code>ProxyMisdirectedRequest<\/Code>/);
    assert.equal(seen.length, 0);
    const tls2 = await open();
    tls2.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nHost: evil.example\r\n\r\n`);
    const raw = await new Promise<string>((r) => {
      let s = "";
      tls2.on("data", (d: Buffer) => (s += d.toString()));
      tls2.on("close", () => r(s));
    });
    assert.match(raw, /^HTTP\/1\.1 400/);
    assert.match(raw, /<Code>InvalidRequest<\/Code>/);
    assert.equal(seen.length, 0);
  });

  it("rejects conflicting Content-Length before anything goes upstream", async () => {
    const tls = await open();
    tls.write(`PUT /x HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`);
    const raw = await new Promise<string>((r) => {
      let s = "";
      tls.on("data", (d: Buffer) => (s += d.toString()));
      tls.on("close", () => r(s));
    });
    assert.match(raw, /^HTTP\/1\.1 400/);
    assert.equal(seen.length, 0);
  });

  it("breaks the client connection when the upstream dies mid-body", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-length": 1_000_000 });
      res.write(Buffer.alloc(1000));
      setTimeout(() => res.socket?.destroy(), 50);
    };
    const tls = await open();
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ createConnection: () => tls, path: "/broken", headers: { host: HOST } });
      req.on("response", (res) => {
        res.on("data", () => undefined);
        res.on("end", () => resolve("clean end"));
        res.on("error", () => resolve("error"));
        res.on("aborted", () => resolve("error"));
      });
      req.on("error", () => resolve("error"));
      req.end();
    });
    assert.equal(outcome, "error", "a truncated body must not look complete");
  });

  it("aborts the upstream transfer when the client goes away", async () => {
    const upstreamClosed = new Promise<boolean>((resolve) => {
      handler = (_req, res) => {
        res.writeHead(200, { "content-length": 512 * 1024 * 1024 });
        const src = patternStream("abort", 512 * 1024 * 1024);
        src.pipe(res);
        res.on("close", () => {
          src.destroy();
          resolve(!res.writableFinished);
        });
      };
    });
    const tls = await open();
    const req = httpRequest({ createConnection: () => tls, path: "/huge", headers: { host: HOST } });
    req.on("response", (res) => {
      res.once("data", () => tls.destroy());
    });
    req.on("error", () => undefined);
    req.end();
    assert.equal(await upstreamClosed, true);
  });

  it("answers 503 ServiceUnavailable as S3 XML when the upstream is down", async () => {
    const down = await startInProcessProxy({ upstreamEndpoint: "https://127.0.0.1:1" });
    try {
      const tls = await tlsVia(down.port, `${HOST}:443`, { servername: HOST, ca: down.ca.certPem });
      const res = await requestOver(tls, { path: "/k", host: HOST });
      assert.equal(res.status, 503);
      assert.equal(res.headers["content-type"], "application/xml");
      assert.match(
        res.body.toString(),
        /<Code>ServiceUnavailable<\/Code>.*<RequestId>[0-9A-F]{16}<\/RequestId>/s,
      );
    } finally {
      await down.stop();
    }
  });

  it("never talks to an upstream whose certificate does not verify", async () => {
    seen.length = 0;
    const untrusting = await startInProcessProxy({
      upstreamEndpoint: `https://127.0.0.1:${(origin.address() as AddressInfo).port}`,
    });
    try {
      const tls = await tlsVia(untrusting.port, `${HOST}:443`, {
        servername: HOST,
        ca: untrusting.ca.certPem,
      });
      const res = await requestOver(tls, { path: "/k", host: HOST });
      assert.equal(res.status, 503);
      assert.match(res.body.toString(), /<Code>ServiceUnavailable<\/Code>/);
      assert.deepEqual(seen, [], "no request reached the unverified upstream");
    } finally {
      await untrusting.stop();
    }
  });

  it("refuses CONNECT inside an intercepted connection", async () => {
    const tls = await open();
    tls.write(`CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n`);
    const raw = await new Promise<string>((r) => {
      let s = "";
      tls.on("data", (d: Buffer) => (s += d.toString()));
      tls.on("close", () => r(s));
    });
    assert.match(raw, /^HTTP\/1\.1 400/);
  });
});
