/**
 * Connections redirected to the transparent listener (iptables REDIRECT/DNAT or DNS pointing S3 names at us)
 * carry no CONNECT line, and Node cannot read SO_ORIGINAL_DST, so the destination comes from the first bytes:
 * the TLS ClientHello's SNI (tunnel target = SNI host, port 443), or for plain HTTP each request's Host header.
 * The peeked bytes are not consumed: they are handed on to the TLS layer, the tunnel or the HTTP parser.
 */
import type { Socket } from "node:net";
import { MAX_CLIENT_HELLO, parseClientHello } from "../net/clientHello.ts";
import { isValidHostname, type HostPort } from "../net/hostAuthority.ts";
import { decideRoute } from "../net/routePolicy.ts";
import { targetIsSelf } from "../net/selfLoop.ts";
import { interceptTls } from "./interceptTls.ts";
import { openTunnel } from "./openTunnel.ts";
import type { ProxyContext } from "./ProxyContext.ts";

const TLS_PORT = 443;

export function handleTransparent(ctx: ProxyContext, socket: Socket): void {
  let buffered = Buffer.alloc(0);
  const log = ctx.log.child({ remote: socket.remoteAddress, listener: "transparent" });
  socket.setNoDelay(true);
  socket.setTimeout(ctx.config.timeouts.peekMs, () => socket.destroy());
  socket.on("error", (err) => {
    log.debug({ err: err.message }, "transparent client error");
    socket.destroy();
  });

  const onData = (chunk: Buffer): void => {
    buffered = Buffer.concat([buffered, chunk]);
    const hello = parseClientHello(buffered);
    if (hello.kind === "need-more") {
      if (buffered.length > MAX_CLIENT_HELLO + 64) socket.destroy();
      return;
    }
    socket.removeListener("data", onData);
    socket.pause();
    socket.setTimeout(0);
    if (hello.kind === "not-tls") {
      // Plain HTTP: let the HTTP front end parse it; requests are routed by Host. The HTTP server reads the
      // socket's native handle directly, so bytes unshifted into the JS stream would never reach its parser;
      // replaying them as a 'data' event feeds the parser through the listener it attaches on 'connection'.
      ctx.routes.set(socket, { kind: "transparent-http" });
      ctx.front.emit("connection", socket);
      socket.emit("data", buffered);
      socket.resume();
      return;
    }
    const name = hello.kind === "hello" ? hello.serverName?.toLowerCase() : undefined;
    if (name === undefined || !isValidHostname(name)) {
      log.warn(
        { reason: hello.kind === "invalid" ? hello.reason : "no usable SNI" },
        "transparent TLS refused",
      );
      socket.destroy();
      return;
    }
    const target: HostPort = { host: name, port: TLS_PORT };
    const route = decideRoute(target, ctx.policy);
    if (route.action === "intercept") {
      interceptTls(ctx, socket, buffered, target, "transparent");
    } else if (route.action === "tunnel") {
      void tunnel(ctx, socket, buffered, target);
    } else {
      log.warn({ host: name, code: route.code }, "transparent TLS refused");
      socket.destroy();
    }
  };
  socket.on("data", onData);
}

async function tunnel(ctx: ProxyContext, socket: Socket, head: Buffer, target: HostPort): Promise<void> {
  const log = ctx.log.child({ target: `${target.host}:${target.port}`, listener: "transparent" });
  if (await targetIsSelf(target.host, target.port, ctx.listenPorts)) {
    log.warn("transparent tunnel refused: loop");
    socket.destroy();
    return;
  }
  openTunnel(socket, head, target, {
    connectTimeoutMs: ctx.config.timeouts.connectMs,
    idleTimeoutMs: ctx.config.timeouts.idleMs,
    log,
    onFailed: (err) => {
      log.info({ err: (err.cause as Error | undefined)?.message }, "transparent tunnel connect failed");
      socket.destroy();
    },
  });
}
