/**
 * Lifecycle and wiring of the proxy: one HTTP front end (the forward listener, which also parses every
 * intercepted and transparently accepted connection, so one set of header/idle timeouts and limits applies
 * everywhere), an optional transparent listener, the upstream pool and the certificate issuer.
 */
import { createServer, type Server } from "node:http";
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from "node:net";
import type { Logger } from "pino";
import type { ProxyConfig } from "../config/ProxyConfig.ts";
import { buildInterceptMatcher } from "../net/hostPatterns.ts";
import type { HostPort } from "../net/hostAuthority.ts";
import type { RoutePolicyOptions } from "../net/routePolicy.ts";
import type { InterceptStep } from "../pipeline/Exchange.ts";
import type { IssuerKeys } from "../tls/x509.ts";
import { LeafContexts } from "../tls/leafContexts.ts";
import { UpstreamPool } from "../upstream/UpstreamPool.ts";
import { parseUpstreamEndpoint } from "../upstream/upstreamTarget.ts";
import { handleConnect } from "./handleConnect.ts";
import { handleRequest } from "./handleRequest.ts";
import { handleTransparent } from "./handleTransparent.ts";
import type { ConnectionRoute, ProxyContext } from "./ProxyContext.ts";

export interface ProxyServerDeps {
  config: ProxyConfig;
  log: Logger;
  issuer: IssuerKeys;
  step: InterceptStep;
  /** PEM of extra upstream trust anchors (contents of --upstream-ca). */
  upstreamCaPem?: string;
}

export interface ListeningAddresses {
  forward: AddressInfo;
  transparent: AddressInfo | undefined;
}

function listenOn(server: Server | NetServer, at: HostPort): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(at.port, at.host, () => {
      server.removeListener("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Names a client might use to reach a listener (by-name loop detection). */
function selfNames(address: AddressInfo): HostPort[] {
  const names = [address.address];
  if (["0.0.0.0", "::", "127.0.0.1", "::1"].includes(address.address))
    names.push("localhost", "127.0.0.1", "::1");
  return names.map((host) => ({ host, port: address.port }));
}

export class ProxyServer {
  readonly front: Server;
  private transparent: NetServer | undefined;
  private readonly ctx: ProxyContext;
  private readonly sockets = new Set<Socket>();
  private readonly selfAuthorities: HostPort[] = [];

  constructor(deps: ProxyServerDeps) {
    const { config } = deps;
    this.front = createServer({
      maxHeaderSize: config.maxHeaderBytes,
      headersTimeout: config.timeouts.headersMs,
      // Bodies may legitimately take hours (multi-GiB uploads); inactivity is bounded by `timeout` below.
      requestTimeout: 0,
      keepAliveTimeout: 60_000,
      noDelay: true,
      connectionsCheckingInterval: 1_000,
    });
    this.front.timeout = config.timeouts.idleMs;
    const policy: RoutePolicyOptions = {
      intercept: buildInterceptMatcher(config.intercept, config.defaultIntercept),
      allowPorts: config.allowPorts,
      selfAuthorities: this.selfAuthorities,
    };
    this.ctx = {
      config,
      log: deps.log,
      leaves: new LeafContexts({ issuer: deps.issuer }),
      pool: new UpstreamPool({
        idleTimeoutMs: config.timeouts.idleMs,
        ...(deps.upstreamCaPem ? { extraCaPem: deps.upstreamCaPem } : {}),
      }),
      step: deps.step,
      front: this.front,
      routes: new WeakMap<Socket, ConnectionRoute>(),
      policy,
      listenPorts: new Set<number>(),
      upstreamEndpoint: config.upstreamEndpoint ? parseUpstreamEndpoint(config.upstreamEndpoint) : undefined,
    };
    this.front.on("connect", (req, socket: Socket, head: Buffer) =>
      handleConnect(this.ctx, req, socket, head),
    );
    this.front.on("request", (req, res) => void handleRequest(this.ctx, req, res, false));
    this.front.on("checkContinue", (req, res) => void handleRequest(this.ctx, req, res, true));
    this.front.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
      deps.log.debug({ code: err.code, err: err.message }, "malformed client request");
      if (!socket.writable) return socket.destroy();
      const status =
        err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    });
    this.front.on("connection", (socket: Socket) => this.track(socket));
  }

  /** The leaf-certificate issuer (exposed for diagnostics and tests). */
  get leaves(): LeafContexts {
    return this.ctx.leaves;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
  }

  async start(): Promise<ListeningAddresses> {
    const { config } = this.ctx;
    const forward = await listenOn(this.front, config.listen);
    this.ctx.listenPorts.add(forward.port);
    this.selfAuthorities.push(...selfNames(forward));
    let transparent: AddressInfo | undefined;
    if (config.transparentListen) {
      const server = createNetServer({ noDelay: true }, (socket) => {
        this.track(socket);
        handleTransparent(this.ctx, socket);
      });
      this.transparent = server;
      transparent = await listenOn(server, config.transparentListen);
      this.ctx.listenPorts.add(transparent.port);
    }
    return { forward, transparent };
  }

  /** Stops accepting, then closes every open connection (tunnels included). */
  async stop(): Promise<void> {
    const closing = [
      new Promise<void>((r) => this.front.close(() => r())),
      new Promise<void>((r) => (this.transparent ? this.transparent.close(() => r()) : r())),
    ];
    for (const s of this.sockets) s.destroy();
    this.front.closeAllConnections();
    this.ctx.pool.close();
    await Promise.all(closing);
  }
}
