/**
 * Runs one re-signed exchange for the encrypting handlers: streams the (transformed) request body into the
 * upstream request and the (transformed) upstream response to the client, both with backpressure
 * (stream.pipeline). Unlike relayExchange (pass-through), the body and response are rewritten, so:
 * - the first failure wins and keeps its code: a BadDigest from the verifier stays BadDigest (relayExchange
 *   would report any body failure as RequestTimeout);
 * - a failing request body destroys the upstream request, so a body that failed verification never
 *   completes upstream (its declared Content-Length is never reached);
 * - the response head is computed by `onResponse`, which may be asynchronous (unwrapping a DEK) and may add
 *   transforms (decryption), set another status, or supply the body from elsewhere (a ranged read assembled
 *   from several upstream responses);
 * - a failure after the response head went out rejects after the client connection is destroyed, so the client
 *   sees a broken transfer, never a complete-looking body (sendError destroys it too; the log gets the cause).
 */
import type { ClientRequest, IncomingMessage, ServerResponse } from "node:http";
import type { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ProxyError, toProxyError } from "../errors/ProxyError.ts";
import type { RawHeaders } from "../http/hopByHop.ts";

export interface ResponsePlan {
  /** The status for the client; default: the upstream's, with its reason phrase. */
  status?: number;
  headers: RawHeaders;
  /** Applied to the upstream body on its way to the client (e.g. decryption). */
  transforms: Transform[];
  /**
   * The body to send instead of the upstream response's. onResponse must then have consumed or released the
   * upstream response (or made it part of this body).
   */
  body?: Readable;
}

export interface S3RelayOptions {
  upstream: ClientRequest;
  res: ServerResponse;
  /** The request body pipeline ending in the upstream request; undefined sends no body. */
  body: { source: Readable; transforms: Transform[] } | undefined;
  onResponse: (upRes: IncomingMessage) => ResponsePlan | Promise<ResponsePlan>;
  /** Maps stream failures to ProxyErrors (crypto and key errors). */
  mapError: (err: unknown) => unknown;
}

export function relayS3Exchange(o: S3RelayOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let responding = false;
    let bodyDone = o.body === undefined;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      o.upstream.destroy();
      if (o.res.headersSent) o.res.destroy();
      reject(toProxyError(o.mapError(err)));
    };

    o.res.on("close", () => {
      if (!o.res.writableFinished) fail(new ProxyError("RequestTimeout", "Client closed the connection."));
    });
    o.upstream.on("error", (err) =>
      fail(
        new ProxyError("ServiceUnavailable", "The upstream endpoint could not be reached.", { cause: err }),
      ),
    );

    o.upstream.on("response", (upRes) => {
      responding = true;
      if (!bodyDone) {
        // An answer before the whole body was sent (an early 403): this upstream request can never complete
        // and the client's unread body is in the way, so neither connection is reused.
        o.res.shouldKeepAlive = false;
        upRes.once("end", () => o.upstream.destroy());
      }
      void (async () => {
        const plan = await o.onResponse(upRes);
        if (settled) {
          plan.body?.destroy();
          return;
        }
        if (plan.status === undefined)
          o.res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, plan.headers);
        else o.res.writeHead(plan.status, plan.headers);
        await pipeline([plan.body ?? upRes, ...plan.transforms, o.res]);
        settled = true;
        resolve();
      })().catch(fail);
    });

    if (o.body === undefined) {
      o.upstream.end();
      return;
    }
    const { source, transforms } = o.body;
    pipeline([source, ...transforms, o.upstream]).then(
      () => (bodyDone = true),
      (err: unknown) => {
        // Once upstream has answered (e.g. an early 403), the rest of the body no longer matters.
        if (responding && !(err instanceof ProxyError)) return;
        fail(
          err instanceof ProxyError || o.mapError(err) !== err
            ? err
            : new ProxyError("RequestTimeout", "The request body was not received completely.", {
                cause: err,
              }),
        );
      },
    );
  });
}
