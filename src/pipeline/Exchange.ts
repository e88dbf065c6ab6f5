/**
 * What an intercept step receives for one intercepted HTTP request: the client side, where it is going, and
 * the shared upstream pool. The proxy core builds it; steps (pass-through now, the S3 encryption pipeline
 * later) decide what to send upstream. Steps throw ProxyError; the core turns it into an S3 XML error.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { HostPort } from "../net/hostAuthority.ts";
import type { UpstreamPool } from "../upstream/UpstreamPool.ts";
import type { UpstreamDestination } from "../upstream/upstreamTarget.ts";

export interface Exchange {
  readonly id: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The S3 host the client addressed (from CONNECT, SNI or Host) and its port. */
  readonly target: HostPort;
  /** Origin-form request target (path + query), as the client sent it. */
  readonly path: string;
  /** Where the request goes upstream. */
  readonly destination: UpstreamDestination;
  /**
   * The Host the proxy's upstream requests sign and send, when they address another bucket than the client's
   * request does (a copy's source in a virtual-hosted bucket, src/copy/copySourceAddress.ts). Unset: the
   * client's Host.
   */
  readonly upstreamHost?: string;
  readonly expectContinue: boolean;
  readonly upstream: UpstreamPool;
  readonly log: Logger;
}

export interface InterceptStep {
  handle(exchange: Exchange): Promise<void>;
}
