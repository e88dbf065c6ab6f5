/**
 * The default step refuses every operation that moves object data — before reading its body and before the
 * upstream sees anything — and forwards the ones that move none.
 */
import assert from "node:assert/strict";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { failClosedStep } from "../../src/pipeline/failClosedStep.ts";
import { startInProcessProxy, type InProcessProxy } from "../helpers/inProcessProxy.ts";
import { createTestPki, type TestPki } from "../helpers/testPki.ts";
import { requestOver, tlsVia } from "../helpers/viaProxy.ts";

const HOST = "bucket.s3.us-east-1.amazonaws.com";
let pki: TestPki;
let proxy: InProcessProxy;
let origin: ReturnType<typeof createHttpsServer>;
const seen: string[] = [];

before(async () => {
  pki = await createTestPki();
  const { key, cert } = pki.serverCert("127.0.0.1");
  origin = createHttpsServer({ key, cert }, (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    res.end("<ok/>");
  });
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  proxy = await startInProcessProxy({
    upstreamEndpoint: `https://127.0.0.1:${(origin.address() as AddressInfo).port}`,
    upstreamCaPem: pki.ca.certPem,
    step: failClosedStep({ continueTimeoutMs: 1000 }),
  });
});
beforeEach(() => (seen.length = 0));
after(async () => {
  await proxy.stop();
  origin.close();
  await pki.cleanup();
});

const ask = async (method: string, path: string, body?: Buffer) => {
  const tls = await tlsVia(proxy.port, `${HOST}:443`, { servername: HOST, ca: proxy.ca.certPem });
  return requestOver(tls, { method, path, host: HOST, ...(body ? { body } : {}) });
};

describe("failClosedStep", () => {
  for (const [method, path, op] of [
    ["PUT", "/secret.txt", "PutObject"],
    ["GET", "/secret.txt", "GetObject"],
    ["POST", "/big?uploads", "CreateMultipartUpload"],
    ["GET", "/k?select&select-type=2", "SelectObjectContent"],
    ["PATCH", "/k", "unknown"],
  ] as const) {
    it(`refuses ${method} ${path} (${op}) with S3 XML and sends nothing upstream`, async () => {
      const res = await ask(method, path, method === "PUT" ? Buffer.from("plaintext canary") : undefined);
      assert.ok(res.status === 501 || res.status === 403, `status ${res.status}`);
      assert.match(res.body.toString(), /<Error><Code>(NotImplemented|AccessDenied)<\/Code>/);
      assert.deepEqual(seen, []);
    });
  }

  for (const [method, path] of [
    ["GET", "/?list-type=2"],
    ["GET", "/?location"],
    ["DELETE", "/old.txt"],
    ["HEAD", "/"],
  ] as const) {
    it(`forwards ${method} ${path}`, async () => {
      const res = await ask(method, path);
      assert.equal(res.status, 200);
      assert.deepEqual(seen, [`${method} ${path}`]);
    });
  }
});
