/**
 * Slow or silent peers cannot hold connections forever: incomplete request headers are cut off after the
 * headers timeout — on intercepted TLS connections as well as on the listener itself, since both are parsed
 * by the same front end — and idle tunnels are closed after the idle timeout. (The assertions are about the
 * connection being closed by the proxy, not about how fast.)
 */
import assert from "node:assert/strict";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { TLSSocket } from "node:tls";
import { after, before, describe, it } from "node:test";
import { DEFAULT_TIMEOUTS } from "../../src/config/ProxyConfig.ts";
import { startInProcessProxy, type InProcessProxy } from "../helpers/inProcessProxy.ts";
import { connectVia, tlsVia } from "../helpers/viaProxy.ts";

let proxy: InProcessProxy;
before(async () => {
  proxy = await startInProcessProxy({
    upstreamEndpoint: "https://127.0.0.1:1",
    timeouts: { ...DEFAULT_TIMEOUTS, headersMs: 300, idleMs: 500 },
  });
});
after(() => proxy.stop());

/** Resolves when the proxy ends the connection (FIN seen as 'end', or a full close/reset). */
const closed = (s: { once(e: "close" | "end", f: () => void): unknown }): Promise<void> =>
  new Promise((r) => {
    s.once("end", () => r());
    s.once("close", () => r());
  });

describe("timeouts", () => {
  it("closes a plain connection whose request headers never finish", async () => {
    const s = connect(proxy.port, "127.0.0.1");
    s.on("error", () => undefined);
    s.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    await closed(s);
  });

  it("closes an intercepted TLS connection whose request headers never finish", async () => {
    // Observed on the proxy's side: the intercepted TLS socket the front end parses is closed by the proxy.
    const proxySide = new Promise<TLSSocket>((resolve) =>
      proxy.server.front.on("connection", (s: Socket) => {
        if (s instanceof TLSSocket) resolve(s);
      }),
    );
    const tls = await tlsVia(proxy.port, "b.s3.amazonaws.com:443", {
      servername: "b.s3.amazonaws.com",
      ca: proxy.ca.certPem,
    });
    tls.on("error", () => undefined);
    tls.write("GET / HTTP/1.1\r\nHost: b.s3.amazonaws.com\r\nX-Slow: ");
    const intercepted = await proxySide;
    if (!intercepted.destroyed) await closed(intercepted);
    tls.destroy();
  });

  it("closes an idle tunnel", async () => {
    const quiet = createServer(() => undefined);
    await new Promise<void>((r) => quiet.listen(0, "127.0.0.1", r));
    try {
      const { status, socket } = await connectVia(
        proxy.port,
        `127.0.0.1:${(quiet.address() as AddressInfo).port}`,
      );
      assert.equal(status, 200);
      socket.on("error", () => undefined);
      await closed(socket);
    } finally {
      quiet.close();
    }
  });
});
