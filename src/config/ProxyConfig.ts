/**
 * The proxy's resolved configuration: what the CLI (flags and S3PROXY_* environment variables) produces and
 * what ProxyServer consumes. Defaults live here, in one place, and README's configuration table mirrors them.
 */
import type { KeyRingConfig } from "../keys/keyRingConfig.ts";
import type { LegacyConfig } from "../legacy/index.ts";
import type { ListSizesPolicy } from "../listing/listSizesPolicy.ts";
import type { HostPort } from "../net/hostAuthority.ts";
import type { ProxyCredentialsConfig } from "../sigv4/proxyCredentials.ts";

export interface Timeouts {
  /** Time a client has to send complete request headers (slowloris guard). */
  headersMs: number;
  /** Socket inactivity limit, client and upstream, tunnels included. */
  idleMs: number;
  /** Upstream TCP connect limit for tunnels. */
  connectMs: number;
  /** How long to wait for the upstream's `100 Continue` before sending the body anyway. */
  expectContinueMs: number;
  /** Time a transparent-mode client has to send its ClientHello / first request bytes. */
  peekMs: number;
}

export interface ProxyConfig {
  /** Forward-proxy listener (CONNECT and absolute-form HTTP). */
  listen: HostPort;
  /** Optional transparent listener (iptables REDIRECT / DNS redirection). */
  transparentListen: HostPort | undefined;
  caDir: string;
  /** Extra intercept patterns (`--intercept`). */
  intercept: string[];
  /** Whether the built-in S3 host patterns apply. */
  defaultIntercept: boolean;
  /** Allowed destination ports; null = any. */
  allowPorts: ReadonlySet<number> | null;
  /** `--upstream-endpoint`: send every intercepted request here instead of the requested host. */
  upstreamEndpoint: string | undefined;
  /** `--upstream-ca`: PEM file with extra trust anchors for upstream TLS. */
  upstreamCaFile: string | undefined;
  /** Forward object data unencrypted (tests of the proxy core only); otherwise encrypt (encryptingStep). */
  passthrough: boolean;
  /** `--list-sizes`: how LIST answers show sizes and ETags (src/listing/listSizesPolicy.ts); default `head`. */
  listSizes?: ListSizesPolicy;
  /** `--key-file`: local KEK file; undefined = S3PROXY_KEYS, else the development key file. */
  keyFile?: string | undefined;
  /** `--kek-provider`, `--kms-*`, `--dek-cache-*` (docs/KEYS.md); undefined = local keys only, default cache. */
  keyRing?: KeyRingConfig;
  /** `--legacy-*`: objects written by Constellation's s3proxy (docs/LEGACY.md); undefined = refused. */
  legacy?: LegacyConfig;
  /** Region upstream requests are signed for when the S3 host names none. */
  region?: string;
  /** The proxy's own credentials for re-signed requests. */
  credentials?: ProxyCredentialsConfig;
  maxHeaderBytes: number;
  timeouts: Timeouts;
  logLevel: string;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  headersMs: 30_000,
  idleMs: 120_000,
  connectMs: 10_000,
  expectContinueMs: 1_000,
  peekMs: 10_000,
};

export const DEFAULTS = {
  listen: "127.0.0.1:8080",
  caDir: "ca",
  allowPorts: "443,80",
  // S3 allows 8 KiB of request headers plus metadata; 16 KiB matches Node's default and bounds memory per client.
  maxHeaderBytes: 16 * 1024,
  logLevel: "info",
  region: "us-east-1",
} as const;

/** `host:port` for listeners: like an authority, but 0.0.0.0/:: and port 0 (tests: any free port) are fine. */
export function parseListenAddress(text: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):([0-9]{1,5})$/.exec(text.trim());
  if (!m) throw new Error(`invalid listen address "${text}": use host:port`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`invalid port in "${text}"`);
  return { host: (m[1] ?? m[2] ?? "").toLowerCase(), port };
}
