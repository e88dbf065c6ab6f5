/**
 * Acceptance for the *tunnel* route: a host that is not intercepted gets a raw byte pipe — the client sees the
 * origin's own certificate (not ours) and a 64 MiB body arrives byte-identical; other protocols pass too.
 */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { createServer as createHttpsServer, request as httpsRequest } from "node:https";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { X509Certificate } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { pipeline } from "node:stream/promises";
import { startInProcessProxy, type InProcessProxy } from "../helpers/inProcessProxy.ts";
import { patternSha256, patternStream, sha256Of } from "../helpers/patternStream.ts";
import { createTestPki, type TestPki } from "../helpers/testPki.ts";
import { connectVia, tlsVia } from "../helpers/viaProxy.ts";

const SIZE = 64 * 1024 * 1024;
let pki: TestPki;
let proxy: InProcessProxy;
let origin: ReturnType<typeof createHttpsServer>;
let originPort: number;
let originFingerprint: string;

before(async () => {
  pki = await createTestPki();
  const { key, cert, fingerprint256 } = pki.serverCert("localhost");
  originFingerprint = fingerprint256;
  origin = createHttpsServer({ key, cert }, (req, res) => {
    res.writeHead(200, { "content-length": SIZE });
    void pipeline(patternStream(req.url ?? "", SIZE), res).catch(() => undefined);
  });
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  originPort = (origin.address() as AddressInfo).port;
  proxy = await startInProcessProxy();
});
after(async () => {
  await proxy.stop();
  origin.close();
  await pki.cleanup();
});

describe("tunnel route", () => {
  it("shows the origin's certificate and relays 64 MiB byte-identically", async () => {
    const tls = await tlsVia(proxy.port, `localhost:${originPort}`, {
      servername: "localhost",
      ca: pki.ca.certPem,
    });
    const peer = new X509Certificate(tls.getPeerX509Certificate()?.raw ?? Buffer.alloc(0));
    assert.equal(peer.fingerprint256, originFingerprint, "the client sees the origin's own certificate");
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpsRequest({ createConnection: () => tls, path: "/big", headers: { host: "localhost" } });
      req.on("response", resolve).on("error", reject).end();
    });
    assert.equal(res.statusCode, 200);
    const got = await sha256Of(res);
    assert.equal(got.bytes, SIZE);
    assert.equal(got.hex, await patternSha256("/big", SIZE));
    assert.equal(proxy.server.leaves.issued, 0, "nothing was intercepted");
  });

  it("relays any protocol (a raw echo service) both ways", async () => {
    const echo = createNetServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
    try {
      const { status, socket } = await connectVia(
        proxy.port,
        `127.0.0.1:${(echo.address() as AddressInfo).port}`,
      );
      assert.equal(status, 200);
      const payload = Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 13, 10, 0x16, 3, 1]);
      socket.write(payload);
      const back = new Promise<Buffer>((r) => socket.once("data", r));
      socket.resume(); // connectVia hands the tunnel over paused
      assert.deepEqual(await back, payload);
      socket.destroy();
    } finally {
      echo.close();
    }
  });

  it("answers 502 when the requested host does not accept connections", async () => {
    const dead = createNetServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const port = (dead.address() as AddressInfo).port;
    dead.close();
    const { status, head } = await connectVia(proxy.port, `127.0.0.1:${port}`);
    assert.equal(status, 502);
    assert.match(head, /ProxyUpstreamFailed/);
  });
});
