/**
 * The per-target decision every connection and plain-HTTP request goes through: intercept (terminate TLS,
 * run the S3 pipeline), tunnel (raw bytes, nothing inspected), or refuse. Pure: the listeners ask, this answers.
 */
import type { HostPort } from "./hostAuthority.ts";
import type { HostMatcher } from "./hostPatterns.ts";

export type Route =
  | { action: "intercept" }
  | { action: "tunnel" }
  | { action: "refuse"; code: "ProxyPortForbidden" | "ProxyLoopDetected"; reason: string };

export interface RoutePolicyOptions {
  intercept: HostMatcher;
  /** Destination ports clients may ask for; `null` allows every port. */
  allowPorts: ReadonlySet<number> | null;
  /** Names under which this proxy itself is reachable, each with its port (loop detection by name). */
  selfAuthorities: readonly HostPort[];
}

export function decideRoute(target: HostPort, options: RoutePolicyOptions): Route {
  if (options.allowPorts !== null && !options.allowPorts.has(target.port)) {
    return { action: "refuse", code: "ProxyPortForbidden", reason: `port ${target.port} is not allowed` };
  }
  if (options.selfAuthorities.some((s) => s.host === target.host && s.port === target.port)) {
    return { action: "refuse", code: "ProxyLoopDetected", reason: "target is this proxy" };
  }
  return options.intercept(target.host) ? { action: "intercept" } : { action: "tunnel" };
}

/** Parses `--allow-ports` ("443,80", "*" for any). */
export function parseAllowPorts(spec: string): ReadonlySet<number> | null {
  if (spec.trim() === "*") return null;
  const ports = spec.split(",").map((p) => p.trim());
  const out = new Set<number>();
  for (const p of ports) {
    const n = Number(p);
    if (!/^[0-9]+$/.test(p) || n < 1 || n > 65535) throw new Error(`invalid port "${p}" in --allow-ports`);
    out.add(n);
  }
  return out;
}
