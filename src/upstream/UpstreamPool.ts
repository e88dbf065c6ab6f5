/**
 * The proxy's outbound HTTP(S) connections: one long-lived keep-alive pool shared by every client connection
 * (reusing upstream TLS sessions roughly halves new-request latency), TCP_NODELAY on every socket, system
 * roots plus `--upstream-ca` for verification. Certificate verification is never disabled.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { createSecureContext, rootCertificates } from "node:tls";
import type { UpstreamDestination } from "./upstreamTarget.ts";

export interface UpstreamPoolOptions {
  /** Extra PEM trust anchors (added to the system roots, not replacing them). */
  extraCaPem?: string;
  /** Idle socket timeout for upstream requests. */
  idleTimeoutMs: number;
  maxSocketsPerHost?: number;
}

export interface UpstreamRequest {
  method: string;
  path: string;
  headers: string[];
}

export class UpstreamPool {
  private readonly https: HttpsAgent;
  private readonly http: HttpAgent;
  private readonly idleTimeoutMs: number;

  constructor(options: UpstreamPoolOptions) {
    const common = {
      keepAlive: true,
      maxSockets: options.maxSocketsPerHost ?? 256,
      maxFreeSockets: 64,
      scheduling: "lifo" as const,
      noDelay: true,
    };
    this.http = new HttpAgent(common);
    // Extra trust goes in as one prebuilt secure context: a `ca` list on the agent would be folded into the
    // pool key string on every request and re-parsed (145 system roots) on every new connection, roughly
    // doubling proxy CPU per small request (docs/BENCHMARKS.md).
    this.https = new HttpsAgent({
      ...common,
      ...(options.extraCaPem
        ? { secureContext: createSecureContext({ ca: [...rootCertificates, options.extraCaPem] }) }
        : {}),
    });
    this.idleTimeoutMs = options.idleTimeoutMs;
  }

  request(dest: UpstreamDestination, req: UpstreamRequest): ClientRequest {
    const base = {
      host: dest.host,
      port: dest.port,
      method: req.method,
      path: req.path,
      headers: req.headers,
      // The client's Host header is forwarded verbatim; stop Node from adding one of its own.
      setHost: false,
      timeout: this.idleTimeoutMs,
    };
    const out =
      dest.protocol === "https:"
        ? // An explicit servername: Node would otherwise derive SNI and the name it verifies from the forwarded
          // Host header (the client's S3 name), not from the endpoint we actually connect to. "" = no SNI (IPs).
          httpsRequest({ ...base, agent: this.https, servername: dest.servername ?? "" })
        : httpRequest({ ...base, agent: this.http });
    out.on("timeout", () => out.destroy(new Error(`upstream idle for ${this.idleTimeoutMs} ms`)));
    return out;
  }

  close(): void {
    this.https.destroy();
    this.http.destroy();
  }
}
