/**
 * Plain-HTTP forwarding for hosts that are not intercepted (absolute-form requests on the forward listener,
 * or plain HTTP on the transparent listener): the request goes to the named host unchanged apart from
 * hop-by-hop headers and a `Via` (RFC 9110 §7.6.3), and the response streams back.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { formatAuthority, type HostPort } from "../net/hostAuthority.ts";
import { upstreamRequestHeaders } from "./forwardHeaders.ts";
import type { ProxyContext } from "./ProxyContext.ts";
import { relayExchange } from "./relayExchange.ts";

export async function forwardPlainHttp(
  ctx: ProxyContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: HostPort,
  path: string,
  expectContinue: boolean,
): Promise<void> {
  // RFC 9112 §3.2.2: a proxy forwarding an absolute-form request sends the URI's authority as Host.
  const headers = upstreamRequestHeaders(req, new Set(["host"]));
  headers.push(
    "Host",
    target.port === 80 ? formatAuthority(target).replace(/:80$/, "") : formatAuthority(target),
  );
  headers.push("Via", `${req.httpVersion} s3proxy`);
  const upstream = ctx.pool.request(
    { protocol: "http:", host: target.host, port: target.port, servername: undefined },
    { method: req.method ?? "GET", path, headers },
  );
  await relayExchange({
    body: req,
    req,
    res,
    upstream,
    expectContinue,
    continueTimeoutMs: ctx.config.timeouts.expectContinueMs,
  });
}
