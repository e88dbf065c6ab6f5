/**
 * One re-signed upstream request without a body, resolved with the response head. The body is the caller's to
 * consume, pipe or release (upstreamBody.ts); an error before the head is ServiceUnavailable (retryable, as
 * relayS3Exchange reports it), and one after is left to whoever reads the body.
 */
import type { IncomingMessage } from "node:http";
import { ProxyError } from "../errors/ProxyError.ts";
import type { RawHeaders } from "../http/hopByHop.ts";
import type { Exchange } from "./Exchange.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { openResignedRequest } from "./s3StepResign.ts";

export interface UpstreamRequestInput {
  method: "GET" | "HEAD";
  region: string | undefined;
  headers: RawHeaders;
  /** Raw query to send instead of the client's. */
  query: string;
}

export async function requestUpstream(
  ex: Exchange,
  deps: S3StepDeps,
  input: UpstreamRequestInput,
): Promise<IncomingMessage> {
  const req = await openResignedRequest(ex, deps, input);
  return new Promise<IncomingMessage>((resolve, reject) => {
    req.once("response", resolve);
    // Kept for the request's lifetime: a socket error after the head must not become an uncaught 'error'.
    req.on("error", (err) =>
      reject(
        new ProxyError("ServiceUnavailable", "The upstream endpoint could not be reached.", { cause: err }),
      ),
    );
    req.end();
  });
}
