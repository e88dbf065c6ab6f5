/**
 * The transparent listener: a client that connects straight to it (as after an iptables REDIRECT or a DNS
 * override) is routed by its TLS SNI — intercepted S3 names get our leaf and go upstream, other names are
 * tunnelled to <sni>:443 with the origin's own certificate — and plain HTTP is routed by Host.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { connect as netConnect } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { after, before, describe, it } from "node:test";
import { startInProcessProxy, type InProcessProxy } from "../helpers/inProcessProxy.ts";
import { createTestPki, type TestPki } from "../helpers/testPki.ts";
import { requestOver } from "../helpers/viaProxy.ts";

const S3_HOST = "bucket.s3.us-east-1.amazonaws.com";
let pki: TestPki;
let proxy: InProcessProxy;
let s3Origin: ReturnType<typeof createHttpsServer>;
let tunnelOrigin: ReturnType<typeof createHttpsServer>;
let plainOrigin: ReturnType<typeof createHttpServer>;
let tunnelFingerprint: string;

const reply = (name: string) => (req: IncomingMessage, res: ServerResponse) => {
  req.resume();
  res.end(`${name} ${req.headers.host} ${req.url}`);
};

before(async () => {
  pki = await createTestPki();
  const ip = pki.serverCert("127.0.0.1");
  s3Origin = createHttpsServer({ key: ip.key, cert: ip.cert }, reply("s3"));
  await new Promise<void>((r) => s3Origin.listen(0, "127.0.0.1", r));
  const local = pki.serverCert("localhost");
  tunnelFingerprint = local.fingerprint256;
  tunnelOrigin = createHttpsServer({ key: local.key, cert: local.cert }, reply("tunnel"));
  // The tunnel target of a redirected TLS connection is <sni>:443; tests run as root (see .ci/run).
  await new Promise<void>((resolve, reject) => {
    tunnelOrigin.once("error", reject);
    tunnelOrigin.listen(443, "127.0.0.1", resolve);
  });
  plainOrigin = createHttpServer(reply("plain"));
  await new Promise<void>((r) => plainOrigin.listen(0, "127.0.0.1", r));
  proxy = await startInProcessProxy({
    transparentListen: { host: "127.0.0.1", port: 0 },
    upstreamEndpoint: `https://127.0.0.1:${(s3Origin.address() as AddressInfo).port}`,
    upstreamCaPem: pki.ca.certPem,
  });
});
after(async () => {
  await proxy.stop();
  s3Origin.close();
  tunnelOrigin.close();
  plainOrigin.close();
  await pki.cleanup();
});

function direct(servername: string | undefined, ca: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({
      host: "127.0.0.1",
      port: proxy.transparentPort ?? 0,
      ca,
      ...(servername ? { servername } : { checkServerIdentity: () => undefined }),
    });
    s.once("secureConnect", () => resolve(s));
    s.once("error", reject);
  });
}

describe("transparent listener", () => {
  it("intercepts by SNI with a leaf chained to our CA and forwards upstream", async () => {
    const tls = await direct(S3_HOST, proxy.ca.certPem);
    const leaf = new X509Certificate(tls.getPeerX509Certificate()?.raw ?? Buffer.alloc(0));
    assert.equal(leaf.checkIssued(new X509Certificate(proxy.ca.certPem)), true);
    assert.equal(leaf.checkHost(S3_HOST), S3_HOST);
    const res = await requestOver(tls, { path: "/key?x=1", host: S3_HOST });
    assert.equal(res.body.toString(), `s3 ${S3_HOST} /key?x=1`);
  });

  it("tunnels other SNI names to <sni>:443, showing the origin's certificate", async () => {
    const tls = await direct("localhost", pki.ca.certPem);
    const peer = new X509Certificate(tls.getPeerX509Certificate()?.raw ?? Buffer.alloc(0));
    assert.equal(peer.fingerprint256, tunnelFingerprint);
    const res = await requestOver(tls, { path: "/t", host: "localhost" });
    assert.equal(res.body.toString(), "tunnel localhost /t");
  });

  it("drops TLS without SNI", async () => {
    await assert.rejects(direct(undefined, proxy.ca.certPem));
  });

  it("routes plain HTTP by Host: S3 names are intercepted (upstream over TLS), others forwarded", async () => {
    const ask = (host: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const s = netConnect(proxy.transparentPort ?? 0, "127.0.0.1");
        s.write(`GET /p HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
        let out = "";
        s.on("data", (d: Buffer) => (out += d.toString()));
        s.on("close", () => resolve(out));
        s.on("error", reject);
      });
    assert.match(await ask(S3_HOST), new RegExp(`s3 ${S3_HOST} /p$`));
    const plainPort = (plainOrigin.address() as AddressInfo).port;
    assert.match(await ask(`127.0.0.1:${plainPort}`), new RegExp(`plain 127.0.0.1:${plainPort} /p$`));
  });
});
