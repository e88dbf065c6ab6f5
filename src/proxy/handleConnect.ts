/**
 * `CONNECT host:port` on the forward listener (RFC 9110 §9.3.6): validate the authority, ask the route policy,
 * then tunnel, intercept, or refuse with an HTTP error. A refusal happens before any name reaches the
 * certificate issuer, a socket or the file system.
 */
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { ProxyError } from "../errors/ProxyError.ts";
import { writeRawError } from "../http/errorResponse.ts";
import { parseConnectAuthority, type HostPort } from "../net/hostAuthority.ts";
import { decideRoute } from "../net/routePolicy.ts";
import { targetIsSelf } from "../net/selfLoop.ts";
import { interceptTls } from "./interceptTls.ts";
import { openTunnel } from "./openTunnel.ts";
import type { ProxyContext } from "./ProxyContext.ts";

const ESTABLISHED = "HTTP/1.1 200 Connection Established\r\n\r\n";

export function handleConnect(ctx: ProxyContext, req: IncomingMessage, socket: Socket, head: Buffer): void {
  socket.on("error", () => socket.destroy());
  if (ctx.routes.has(socket)) {
    writeRawError(
      socket,
      new ProxyError("InvalidRequest", "CONNECT is not allowed inside an intercepted connection."),
    );
    return;
  }
  let target: HostPort;
  try {
    target = parseConnectAuthority(req.url ?? "");
  } catch (err) {
    const e = writeRawError(socket, err);
    ctx.log.warn({ code: e.code, remote: socket.remoteAddress }, "CONNECT refused");
    return;
  }
  const route = decideRoute(target, ctx.policy);
  const log = ctx.log.child({ target: `${target.host}:${target.port}` });
  switch (route.action) {
    case "refuse": {
      writeRawError(socket, new ProxyError(route.code, `Refused: ${route.reason}.`));
      log.warn({ code: route.code, remote: socket.remoteAddress }, "CONNECT refused");
      return;
    }
    case "intercept": {
      log.debug("CONNECT intercepted");
      socket.write(ESTABLISHED);
      interceptTls(ctx, socket, head, target, "connect");
      return;
    }
    case "tunnel": {
      void tunnelUnlessSelf(ctx, socket, head, target).catch((err: unknown) => {
        log.error({ err }, "tunnel setup failed");
        socket.destroy();
      });
      return;
    }
  }
}

async function tunnelUnlessSelf(
  ctx: ProxyContext,
  socket: Socket,
  head: Buffer,
  target: HostPort,
): Promise<void> {
  const log = ctx.log.child({ target: `${target.host}:${target.port}` });
  if (await targetIsSelf(target.host, target.port, ctx.listenPorts)) {
    writeRawError(socket, new ProxyError("ProxyLoopDetected", "Refused: the target is this proxy."));
    log.warn("CONNECT refused: loop");
    return;
  }
  log.debug("CONNECT tunnelled");
  openTunnel(socket, head, target, {
    connectTimeoutMs: ctx.config.timeouts.connectMs,
    idleTimeoutMs: ctx.config.timeouts.idleMs,
    log,
    onEstablished: (client) => client.write(ESTABLISHED),
    onFailed: (err) => {
      log.info({ err: (err.cause as Error | undefined)?.message }, "tunnel connect failed");
      writeRawError(socket, err);
    },
  });
}
