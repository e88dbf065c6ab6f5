/**
 * The *intercept* route at the connection level: terminate the client's TLS with a leaf for the target host
 * (issued from our CA), force HTTP/1.1 through ALPN, and hand the decrypted stream to the shared HTTP front
 * end, which parses requests and runs the intercept step. No upstream connection is opened here: requests go
 * upstream through the pool, so one client connection may be served by any pooled upstream connection.
 */
import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import type { HostPort } from "../net/hostAuthority.ts";
import type { ProxyContext } from "./ProxyContext.ts";

export function interceptTls(
  ctx: ProxyContext,
  socket: Socket,
  head: Buffer,
  target: HostPort,
  via: "connect" | "transparent",
): void {
  // Bytes the client sent right after CONNECT (or that the transparent listener peeked) belong to the TLS
  // handshake; TLSSocket consumes whatever is buffered on the socket when it wraps it.
  if (head.length > 0) socket.unshift(head);
  let secureContext;
  try {
    secureContext = ctx.leaves.contextFor(target.host);
  } catch (err) {
    ctx.log.error({ err, host: target.host }, "could not issue a certificate");
    socket.destroy();
    return;
  }
  const tlsSocket = new TLSSocket(socket, { isServer: true, secureContext, ALPNProtocols: ["http/1.1"] });
  ctx.routes.set(tlsSocket, { kind: "intercepted", target, via });
  // Handshake deadline; after 'secure' the HTTP server's own timeouts govern the socket.
  const handshakeTimer = setTimeout(() => tlsSocket.destroy(), ctx.config.timeouts.headersMs);
  tlsSocket.once("secure", () => clearTimeout(handshakeTimer));
  tlsSocket.once("close", () => clearTimeout(handshakeTimer));
  tlsSocket.on("error", (err: NodeJS.ErrnoException) => {
    clearTimeout(handshakeTimer);
    // Most common cause: the client does not trust our CA (it then aborts the handshake with an alert).
    ctx.log.info(
      { host: target.host, code: err.code, err: err.message },
      "intercepted TLS connection failed",
    );
    tlsSocket.destroy();
  });
  socket.on("error", () => tlsSocket.destroy());
  ctx.front.emit("connection", tlsSocket);
}
