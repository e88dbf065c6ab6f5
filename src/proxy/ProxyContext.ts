/**
 * What the listeners and handlers share: configuration, the certificate issuer, the upstream pool, the active
 * intercept step, and the connection → route table that tells the HTTP front end, for a socket it parses,
 * whether it is an intercepted TLS connection (and for which host) or a plain one.
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "pino";
import type { ProxyConfig } from "../config/ProxyConfig.ts";
import type { HostPort } from "../net/hostAuthority.ts";
import type { RoutePolicyOptions } from "../net/routePolicy.ts";
import type { InterceptStep } from "../pipeline/Exchange.ts";
import type { LeafContexts } from "../tls/leafContexts.ts";
import type { UpstreamPool } from "../upstream/UpstreamPool.ts";
import type { UpstreamDestination } from "../upstream/upstreamTarget.ts";

export type ConnectionRoute =
  /** TLS terminated by us for `target`; requests on it are origin-form and must name that host. */
  | { kind: "intercepted"; target: HostPort; via: "connect" | "transparent" }
  /** Plain HTTP accepted by the transparent listener: each request is routed by its Host header. */
  | { kind: "transparent-http" };

export interface ProxyContext {
  readonly config: ProxyConfig;
  readonly log: Logger;
  readonly leaves: LeafContexts;
  readonly pool: UpstreamPool;
  readonly step: InterceptStep;
  readonly front: Server;
  readonly routes: WeakMap<Socket, ConnectionRoute>;
  readonly policy: RoutePolicyOptions;
  /** Ports this process listens on (address-based loop detection). */
  readonly listenPorts: Set<number>;
  readonly upstreamEndpoint: UpstreamDestination | undefined;
}
