/**
 * Where an intercepted request really goes. By default that is the host the client asked for, over verified
 * TLS on its port. With `--upstream-endpoint` (MinIO, Ceph, tests, or DNS-redirect deployments where the S3
 * names resolve to the proxy itself) every intercepted request goes to that one endpoint instead; the client's
 * `Host` header is kept, because SigV4 signs it and virtual-hosted backends route buckets by it.
 */
import { isIP } from "node:net";
import type { HostPort } from "../net/hostAuthority.ts";

export interface UpstreamDestination {
  protocol: "https:" | "http:";
  host: string;
  port: number;
  /** TLS SNI / name to verify; undefined for IP literals (SNI must not carry an IP, RFC 6066 §3). */
  servername: string | undefined;
}

export function parseUpstreamEndpoint(text: string): UpstreamDestination {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--upstream-endpoint "${text}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`--upstream-endpoint must be http:// or https://, got ${url.protocol}`);
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.username) {
    throw new Error("--upstream-endpoint takes scheme://host[:port] only");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  return { protocol: url.protocol, host, port, servername: isIP(host) ? undefined : host };
}

/** The destination for an intercepted request to `target`. */
export function upstreamFor(
  target: HostPort,
  endpoint: UpstreamDestination | undefined,
): UpstreamDestination {
  if (endpoint) return endpoint;
  // Intercepted plain-HTTP requests (port 80) are upgraded: object data leaves the proxy only over TLS.
  const port = target.port === 80 ? 443 : target.port;
  return {
    protocol: "https:",
    host: target.host,
    port,
    servername: isIP(target.host) ? undefined : target.host,
  };
}
