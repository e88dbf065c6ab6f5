/**
 * The interception step used until the S3 encryption pipeline plugs in: forwards the request unchanged
 * (hop-by-hop headers aside) to the upstream destination over the pool and relays the response. The client's
 * own SigV4 signature stays valid because nothing it signed changes.
 */
import type { Exchange, InterceptStep } from "./Exchange.ts";
import { upstreamRequestHeaders } from "../proxy/forwardHeaders.ts";
import { relayExchange } from "../proxy/relayExchange.ts";

export function passThroughStep(options: { continueTimeoutMs: number }): InterceptStep {
  return {
    async handle(ex: Exchange): Promise<void> {
      const upstream = ex.upstream.request(ex.destination, {
        method: ex.req.method ?? "GET",
        path: ex.path,
        headers: upstreamRequestHeaders(ex.req),
      });
      await relayExchange({
        body: ex.req,
        req: ex.req,
        res: ex.res,
        upstream,
        expectContinue: ex.expectContinue,
        continueTimeoutMs: options.continueTimeoutMs,
      });
    },
  };
}
