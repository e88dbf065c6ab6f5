/**
 * CONNECT targets the policy must refuse — traversal-shaped and header-injecting authorities, forbidden
 * ports, the proxy itself — are answered with an error and leave no trace: no certificate issued, nothing
 * written to the CA directory or the working directory.
 */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { parseAllowPorts } from "../../src/net/routePolicy.ts";
import { startInProcessProxy, type InProcessProxy } from "../helpers/inProcessProxy.ts";
import { connectVia } from "../helpers/viaProxy.ts";

let proxy: InProcessProxy;
before(async () => {
  proxy = await startInProcessProxy({ allowPorts: parseAllowPorts("443") });
});
after(() => proxy.stop());

/** Writes raw bytes (Node's client would refuse to send some of these) and reads the whole answer. */
async function raw(bytes: string): Promise<string> {
  const socket: Socket = connect(proxy.port, "127.0.0.1");
  socket.write(bytes);
  let out = "";
  socket.on("data", (d: Buffer) => (out += d.toString("latin1")));
  await new Promise((r) => socket.on("close", r));
  return out;
}

async function snapshot(): Promise<string[]> {
  return [...(await readdir(proxy.caDir)), "|", ...(await readdir(process.cwd()))].sort();
}

describe("refused CONNECT targets", () => {
  it("refuses traversal and injection authorities and writes nothing", async () => {
    const before = await snapshot();
    for (const authority of [
      "../../x:443",
      "..%2F..%2Fx:443",
      "bucket.s3.amazonaws.com%0d%0aX-Evil:1:443",
      "bucket.s3.amazonaws.com/../../etc:443",
      "user:pw@bucket.s3.amazonaws.com:443",
    ]) {
      const answer = await raw(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 400 /, authority);
      assert.match(answer, /ProxyBadAuthority/, authority);
    }
    // A raw CR LF inside the request-target never reaches us as one line: the HTTP parser rejects it.
    const split = await raw("CONNECT bucket.s3.amazonaws.com\r\nX-Injected: 1:443 HTTP/1.1\r\n\r\n");
    assert.match(split, /^HTTP\/1\.1 400 /);
    assert.equal(proxy.server.leaves.issued, 0, "no certificate was issued");
    assert.deepEqual(await snapshot(), before, "nothing was written");
  });

  it("refuses ports outside --allow-ports with 403", async () => {
    const { status, head } = await connectVia(proxy.port, "bucket.s3.amazonaws.com:22");
    assert.equal(status, 403);
    assert.match(head, /ProxyPortForbidden/);
  });

  it("refuses a tunnel to itself with 508", async () => {
    const open = await startInProcessProxy();
    try {
      for (const target of [`127.0.0.1:${open.port}`, `localhost:${open.port}`]) {
        const { status, head } = await connectVia(open.port, target);
        assert.equal(status, 508, target);
        assert.match(head, /ProxyLoopDetected/);
      }
    } finally {
      await open.stop();
    }
  });

  it("serves /healthz and refuses other origin-form requests to itself", async () => {
    assert.match(
      await raw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
      /^HTTP\/1\.1 200[^]*ok\n$/,
    );
    assert.match(await raw("GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), /^HTTP\/1\.1 404/);
  });

  it("answers oversized headers with 431", async () => {
    const answer = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 431/);
  });
});
