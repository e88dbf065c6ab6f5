/**
 * The *tunnel* route: a raw, bidirectional byte pipe between the client and the requested host. Nothing is
 * parsed, decrypted or changed, so any protocol (TLS with its own certificate, HTTP/2, WebSockets) just works.
 * Backpressure comes from pipe(); half-close is honoured; an error, reset or idle timeout on either side tears
 * down both.
 */
import { connect, type Socket } from "node:net";
import type { Logger } from "pino";
import { ProxyError } from "../errors/ProxyError.ts";
import type { HostPort } from "../net/hostAuthority.ts";

export interface TunnelOptions {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  log: Logger;
  /** Called once the upstream is connected, before any byte is relayed (CONNECT writes its 200 here). */
  onEstablished?: (client: Socket) => void;
  /** Called instead when the upstream cannot be reached. */
  onFailed: (err: ProxyError) => void;
}

export function openTunnel(client: Socket, head: Buffer, target: HostPort, o: TunnelOptions): void {
  const upstream = connect({ host: target.host, port: target.port, noDelay: true });
  let established = false;
  let bytesUp = head.length;
  let bytesDown = 0;
  const started = Date.now();

  const connectTimer = setTimeout(() => {
    upstream.destroy(new Error(`connect timed out after ${o.connectTimeoutMs} ms`));
  }, o.connectTimeoutMs);

  const teardown = (): void => {
    clearTimeout(connectTimer);
    client.destroy();
    upstream.destroy();
  };

  upstream.once("connect", () => {
    clearTimeout(connectTimer);
    established = true;
    client.setNoDelay(true);
    o.onEstablished?.(client);
    if (head.length > 0) upstream.write(head);
    client.setTimeout(o.idleTimeoutMs, teardown);
    upstream.setTimeout(o.idleTimeoutMs, teardown);
    client.on("data", (d: Buffer) => (bytesUp += d.length));
    upstream.on("data", (d: Buffer) => (bytesDown += d.length));
    client.pipe(upstream);
    upstream.pipe(client);
  });

  upstream.on("error", (err) => {
    if (!established) {
      clearTimeout(connectTimer);
      o.onFailed(
        new ProxyError("ProxyUpstreamFailed", "Could not connect to the requested host.", { cause: err }),
      );
      return;
    }
    o.log.debug({ err: err.message }, "tunnel upstream error");
    teardown();
  });
  client.on("error", (err) => {
    o.log.debug({ err: err.message }, "tunnel client error");
    teardown();
  });
  // The upstream is gone: finish writing what is buffered towards the client, then let it close (the idle
  // timeout reaps a client that never does).
  upstream.on("close", () => {
    if (established) client.end();
  });
  // The client is gone in both directions: nothing the upstream still sends can be delivered.
  client.on("close", () => {
    clearTimeout(connectTimer);
    upstream.destroy();
    if (established) {
      o.log.debug(
        { target: `${target.host}:${target.port}`, bytesUp, bytesDown, ms: Date.now() - started },
        "tunnel closed",
      );
    }
  });
}
