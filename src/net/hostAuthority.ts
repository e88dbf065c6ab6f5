/**
 * Parsing and validation of `host:port` authorities (CONNECT request-target, RFC 9110 §9.3.6 / RFC 3986 §3.2)
 * and of `Host` header values. Anything that is not a plain DNS name, IPv4 literal or bracketed IPv6 literal is
 * rejected here, before it can reach a socket, a certificate or a log line: no path characters, no userinfo,
 * no percent-encoding, no whitespace or control characters (header injection).
 */
import { isIP } from "node:net";
import { ProxyError } from "../errors/ProxyError.ts";

export interface HostPort {
  /** Lowercased DNS name, IPv4 literal, or IPv6 literal without brackets. */
  host: string;
  port: number;
}

// RFC 1123 labels; underscore is tolerated because real-world hostnames (and some S3 access points) use it.
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** True for a syntactically valid DNS name (1-253 chars, labels of 1-63), without a trailing dot. */
export function isValidHostname(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((label) => LABEL.test(label));
}

function badAuthority(what: string): ProxyError {
  // The offending value is deliberately not echoed: it may contain control characters.
  return new ProxyError("ProxyBadAuthority", `Invalid ${what}.`);
}

function parsePort(text: string, what: string): number {
  if (!/^[0-9]{1,5}$/.test(text)) throw badAuthority(what);
  const port = Number(text);
  if (port < 1 || port > 65535) throw badAuthority(what);
  return port;
}

function normaliseHost(raw: string, what: string): string {
  if (raw.startsWith("[")) {
    if (!raw.endsWith("]")) throw badAuthority(what);
    const inner = raw.slice(1, -1);
    if (isIP(inner) !== 6) throw badAuthority(what);
    return inner.toLowerCase();
  }
  const host = raw.toLowerCase().replace(/\.$/, "");
  if (isIP(host) === 4) return host;
  if (!isValidHostname(host) || /^[0-9.]+$/.test(host)) throw badAuthority(what);
  return host;
}

/** Splits `host:port` / `[v6]:port`; the port is optional only when `defaultPort` is given. */
function splitAuthority(value: string, what: string, defaultPort?: number): HostPort {
  if (value.length === 0 || value.length > 260) throw badAuthority(what);
  const v6 = /^(\[[^\]]*\])(?::([^:]*))?$/.exec(value);
  let hostText: string;
  let portText: string | undefined;
  if (v6) {
    hostText = v6[1] ?? "";
    portText = v6[2];
  } else {
    const colon = value.lastIndexOf(":");
    if (colon === -1) {
      hostText = value;
    } else {
      hostText = value.slice(0, colon);
      portText = value.slice(colon + 1);
    }
  }
  const host = normaliseHost(hostText, what);
  if (portText === undefined) {
    if (defaultPort === undefined) throw badAuthority(what);
    return { host, port: defaultPort };
  }
  return { host, port: parsePort(portText, what) };
}

/** The request-target of a CONNECT request: `host:port`, port mandatory (RFC 9110 §9.3.6). */
export function parseConnectAuthority(target: string): HostPort {
  return splitAuthority(target, "CONNECT authority");
}

/** A `Host` header value (RFC 9110 §7.2); the port defaults to the connection's scheme default. */
export function parseHostHeader(value: string, defaultPort: number): HostPort {
  return splitAuthority(value.trim(), "Host header", defaultPort);
}

/** Formats host:port for URLs and logs, bracketing IPv6 literals. */
export function formatAuthority({ host, port }: HostPort): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
