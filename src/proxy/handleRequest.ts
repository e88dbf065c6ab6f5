/**
 * Every HTTP request the front end parses comes here, whichever listener accepted its connection:
 *
 *   intercepted TLS connection ─► Host must match the connection's target ─► intercept step (S3 pipeline)
 *   transparent plain HTTP     ─► route by Host ─┬► intercept (upstream over TLS)
 *   forward proxy, absolute URI ─► route by URI ─┼► forward as plain HTTP (not an S3 host)
 *                                                └► refuse
 *   forward proxy, origin-form ─► the proxy's own endpoints (/healthz)
 *
 * Errors from any step end in sendError(): S3 XML on intercepted exchanges, text otherwise.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { ProxyError } from "../errors/ProxyError.ts";
import { sendError } from "../http/errorResponse.ts";
import { assertUnambiguousFraming } from "../http/requestGuards.ts";
import { formatAuthority, parseHostHeader, type HostPort } from "../net/hostAuthority.ts";
import { decideRoute } from "../net/routePolicy.ts";
import { targetIsSelf } from "../net/selfLoop.ts";
import { upstreamFor } from "../upstream/upstreamTarget.ts";
import { forwardPlainHttp } from "./forwardPlainHttp.ts";
import type { ProxyContext } from "./ProxyContext.ts";

/** S3-style request id: 16 upper-case hex digits. */
export function newRequestId(): string {
  return randomBytes(8).toString("hex").toUpperCase();
}

interface Routed {
  target: HostPort;
  path: string;
}

/** Absolute-form request-target (RFC 9112 §3.2.2) as sent to forward proxies: only http:// is meaningful. */
function parseAbsoluteForm(url: string): Routed {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ProxyError("ProxyBadAuthority", "Invalid request target.");
  }
  if (u.protocol !== "http:")
    throw new ProxyError("InvalidRequest", "Only http:// URLs can be proxied without CONNECT.");
  if (u.username || u.password)
    throw new ProxyError("ProxyBadAuthority", "Credentials in the URL are not allowed.");
  const target = parseHostHeader(u.host, 80);
  // Keep the client's exact path bytes (URL normalises escapes and dot-segments, which would break SigV4).
  const afterAuthority = url.slice(url.indexOf("//") + 2);
  const slash = afterAuthority.search(/[/?]/);
  const path = slash === -1 ? "/" : afterAuthority.slice(slash);
  return { target, path: path.startsWith("?") ? `/${path}` : path };
}

function hostOf(req: IncomingMessage, defaultPort: number): HostPort {
  const host = req.headers.host;
  if (!host) throw new ProxyError("InvalidRequest", "Missing Host header.");
  return parseHostHeader(host, defaultPort);
}

async function intercept(
  ctx: ProxyContext,
  req: IncomingMessage,
  res: ServerResponse,
  routed: Routed,
  expectContinue: boolean,
  id: string,
  log: Logger,
): Promise<void> {
  const destination = upstreamFor(routed.target, ctx.upstreamEndpoint);
  if (!ctx.upstreamEndpoint && (await targetIsSelf(destination.host, destination.port, ctx.listenPorts))) {
    throw new ProxyError(
      "ProxyLoopDetected",
      "This S3 name resolves to the proxy itself; configure --upstream-endpoint.",
    );
  }
  await ctx.step.handle({
    id,
    req,
    res,
    target: routed.target,
    path: routed.path,
    destination,
    expectContinue,
    upstream: ctx.pool,
    log,
  });
}

async function routePlain(
  ctx: ProxyContext,
  req: IncomingMessage,
  res: ServerResponse,
  routed: Routed,
  expectContinue: boolean,
  id: string,
  log: Logger,
): Promise<"s3" | "proxy"> {
  const route = decideRoute(routed.target, ctx.policy);
  if (route.action === "refuse") throw new ProxyError(route.code, `Refused: ${route.reason}.`);
  if (route.action === "intercept") {
    await intercept(ctx, req, res, routed, expectContinue, id, log);
    return "s3";
  }
  if (await targetIsSelf(routed.target.host, routed.target.port, ctx.listenPorts)) {
    throw new ProxyError("ProxyLoopDetected", "Refused: the target is this proxy.");
  }
  await forwardPlainHttp(ctx, req, res, routed.target, routed.path, expectContinue);
  return "proxy";
}

function serveOwn(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "/").split("?")[0];
  if ((req.method === "GET" || req.method === "HEAD") && path === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain", "content-length": 3 });
    res.end(req.method === "HEAD" ? undefined : "ok\n");
    return;
  }
  throw new ProxyError("ProxyNotFound", "This is an S3 encryption proxy: use it as HTTPS_PROXY.");
}

export async function handleRequest(
  ctx: ProxyContext,
  req: IncomingMessage,
  res: ServerResponse,
  expectContinue: boolean,
): Promise<void> {
  const id = newRequestId();
  const started = Date.now();
  const route = ctx.routes.get(req.socket);
  let style: "s3" | "proxy" = route?.kind === "intercepted" ? "s3" : "proxy";
  let log = ctx.log.child({ req: id });
  try {
    assertUnambiguousFraming(req.rawHeaders);
    if (route?.kind === "intercepted") {
      const host = hostOf(req, route.target.port);
      if (host.host !== route.target.host || host.port !== route.target.port) {
        throw new ProxyError("ProxyMisdirectedRequest", "Host does not match the connection's server name.");
      }
      log = log.child({ host: formatAuthority(host) });
      await intercept(ctx, req, res, { target: route.target, path: req.url ?? "/" }, expectContinue, id, log);
    } else if (route?.kind === "transparent-http") {
      const routed = { target: hostOf(req, 80), path: req.url ?? "/" };
      log = log.child({ host: formatAuthority(routed.target) });
      style = await routePlain(ctx, req, res, routed, expectContinue, id, log);
    } else if ((req.url ?? "").startsWith("/")) {
      serveOwn(req, res);
    } else {
      const routed = parseAbsoluteForm(req.url ?? "");
      log = log.child({ host: formatAuthority(routed.target) });
      style = await routePlain(ctx, req, res, routed, expectContinue, id, log);
    }
    log.info({ method: req.method, status: res.statusCode, ms: Date.now() - started }, "request");
  } catch (error) {
    const err = sendError(res, error, { requestId: id, resource: req.url ?? "/", style, close: true });
    const level = err.status >= 500 ? "error" : "warn";
    log[level](
      {
        method: req.method,
        status: err.status,
        code: err.code,
        err: err.cause ?? err.message,
        ms: Date.now() - started,
      },
      "request failed",
    );
  }
}
