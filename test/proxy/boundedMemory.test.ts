/**
 * Backpressure, measured: a fast origin and a deliberately slow client move 256 MiB through the proxy (run as
 * its own process) on the intercept route and on the tunnel route. Without backpressure the proxy would buffer
 * most of the body; the test bounds the proxy's peak RSS (VmHWM) and records the figure.
 */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { createServer as createHttpsServer, request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, it, type TestContext } from "node:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { startProxyProcess, type ProxyProcess } from "../helpers/proxyProcess.ts";
import { patternSha256, patternStream } from "../helpers/patternStream.ts";
import { createTestPki, type TestPki } from "../helpers/testPki.ts";
import { tlsVia } from "../helpers/viaProxy.ts";
import { readFile } from "node:fs/promises";

const SIZE = 256 * 1024 * 1024;
/** Client read rate: slow enough that the proxy could pile up ~200 MiB if it ignored backpressure. */
const CLIENT_BYTES_PER_SEC = 48 * 1024 * 1024;
const RSS_LIMIT_MIB = 150;

let pki: TestPki;
let origin: ReturnType<typeof createHttpsServer>;
let proxy: ProxyProcess;
let idleMiB: number;

before(async () => {
  pki = await createTestPki();
  const { key, cert } = pki.serverCert("localhost");
  origin = createHttpsServer({ key, cert }, (req, res) => {
    res.writeHead(200, { "content-length": SIZE });
    void pipeline(patternStream(req.url ?? "", SIZE), res).catch(() => undefined);
  });
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  const port = (origin.address() as AddressInfo).port;
  const caFile = join(pki.dir, "origin-ca.pem");
  await writeFile(caFile, pki.ca.certPem);
  proxy = await startProxyProcess([
    "--passthrough",
    "--allow-ports",
    "*",
    "--upstream-endpoint",
    `https://localhost:${port}`,
    "--upstream-ca",
    caFile,
    "--log-level",
    "warn",
  ]);
  idleMiB = (await proxy.peakRssKiB()) / 1024;
});
after(async () => {
  await proxy.stop();
  origin.close();
  await pki.cleanup();
});

/** Reads a response no faster than CLIENT_BYTES_PER_SEC, hashing what arrives. */
async function slowRead(res: IncomingMessage): Promise<{ bytes: number; sha: string }> {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  const started = Date.now();
  let bytes = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    const due = (bytes / CLIENT_BYTES_PER_SEC) * 1000 - (Date.now() - started);
    if (due > 5) await new Promise((r) => setTimeout(r, due));
  }
  return { bytes, sha: hash.digest("hex") };
}

async function download(t: TestContext, authority: string, servername: string, ca: string): Promise<void> {
  const tls = await tlsVia(proxy.port, authority, { servername, ca });
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpsRequest({ createConnection: () => tls, path: "/slow", headers: { host: servername } });
    req.on("response", resolve).on("error", reject).end();
  });
  assert.equal(res.statusCode, 200);
  const got = await slowRead(res);
  assert.equal(got.bytes, SIZE);
  assert.equal(got.sha, await patternSha256("/slow", SIZE));
  const peakMiB = (await proxy.peakRssKiB()) / 1024;
  t.diagnostic(
    `proxy peak RSS after 256 MiB to a slow client (${authority}): ${peakMiB.toFixed(1)} MiB ` +
      `(idle after start: ${idleMiB.toFixed(1)} MiB)`,
  );
  assert.ok(peakMiB < RSS_LIMIT_MIB, `proxy peak RSS ${peakMiB.toFixed(1)} MiB >= ${RSS_LIMIT_MIB} MiB`);
  // Growth is what backpressure bounds: a proxy that buffered would grow by a large part of the 256 MiB.
  assert.ok(peakMiB - idleMiB < 64, `proxy grew by ${(peakMiB - idleMiB).toFixed(1)} MiB while relaying`);
}

describe("bounded memory with a slow client", () => {
  it("intercept route: 256 MiB, peak proxy RSS bounded", async (t) => {
    await download(
      t,
      "slow.s3.us-east-1.amazonaws.com:443",
      "slow.s3.us-east-1.amazonaws.com",
      await readFile(proxy.caFile, "utf8"),
    );
  });

  it("tunnel route: 256 MiB, peak proxy RSS bounded", async (t) => {
    const port = (origin.address() as AddressInfo).port;
    await download(t, `localhost:${port}`, "localhost", pki.ca.certPem);
  });
});
