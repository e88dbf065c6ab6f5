/**
 * Moves one HTTP exchange between a client and an already-created upstream request, streaming both bodies
 * with backpressure (`stream.pipeline`), honouring `Expect: 100-continue` end to end, stripping hop-by-hop
 * headers from the response, and propagating an abort on either side to the other. Used by the pass-through
 * intercept step and by plain-HTTP forwarding; the encryption pipeline wraps the bodies it changes.
 */
import type { ClientRequest, IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ProxyError } from "../errors/ProxyError.ts";
import { stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";

export interface RelayOptions {
  /** The client request body (usually `req` itself, or a transform of it). */
  body: Readable;
  req: IncomingMessage;
  res: ServerResponse;
  upstream: ClientRequest;
  /** The client sent `Expect: 100-continue` and is waiting for our 100 before sending the body. */
  expectContinue: boolean;
  /** How long to wait for the upstream's 100 before sending the body anyway (RFC 9110 §10.1.1). */
  continueTimeoutMs: number;
  /** Rewrites response headers (already stripped of hop-by-hop ones). */
  responseHeaders?: (raw: RawHeaders, upstream: IncomingMessage) => RawHeaders;
}

/** Resolves when the response has been fully written; rejects (before any response bytes) with a ProxyError. */
export function relayExchange(o: RelayOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let bodyStarted = false;
    let settled = false;
    let continueTimer: NodeJS.Timeout | undefined;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(continueTimer);
      o.upstream.destroy();
      if (o.res.headersSent) {
        // Mid-response: break the connection so the client cannot mistake a partial body for a whole one.
        o.res.destroy();
        resolve();
      } else {
        reject(
          err instanceof ProxyError
            ? err
            : new ProxyError("ServiceUnavailable", "The upstream endpoint could not be reached.", {
                cause: err,
              }),
        );
      }
    };

    const startBody = (): void => {
      if (bodyStarted || settled) return;
      bodyStarted = true;
      clearTimeout(continueTimer);
      if (o.expectContinue) o.res.writeContinue();
      pipeline(o.body, o.upstream).catch((err: unknown) => {
        // The client aborted its upload or the upstream socket failed: abandon the exchange either way.
        fail(
          new ProxyError("RequestTimeout", "The request body was not received completely.", { cause: err }),
        );
      });
    };

    o.upstream.on("continue", startBody);
    o.upstream.on("error", fail);
    o.res.on("close", () => {
      // The client went away before the response finished: stop the upstream transfer too.
      if (!o.res.writableFinished) fail(new ProxyError("RequestTimeout", "Client closed the connection."));
    });

    o.upstream.on("response", (upRes) => {
      clearTimeout(continueTimer);
      if (!bodyStarted) {
        // A final status before the body was requested (e.g. 403 to an Expect): the client will not send the
        // body, and this upstream request can never complete, so neither connection is reused.
        o.res.shouldKeepAlive = false;
        upRes.once("end", () => o.upstream.destroy());
      }
      let headers = stripHopByHop(upRes.rawHeaders);
      if (o.responseHeaders) headers = o.responseHeaders(headers, upRes);
      o.res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, headers);
      pipeline(upRes, o.res).then(
        () => {
          settled = true;
          resolve();
        },
        (err: unknown) => fail(err),
      );
    });

    if (o.expectContinue) {
      o.upstream.flushHeaders();
      continueTimer = setTimeout(startBody, o.continueTimeoutMs);
    } else {
      startBody();
    }
  });
}
