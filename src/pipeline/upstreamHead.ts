/**
 * One re-signed HEAD of the whole object an exchange addresses (same path and query, versionId included, but
 * without partNumber: S3 answers a HEAD for one part with 206 and that part's length), for handlers that must
 * know the stored object before answering: its ETag, envelope and length. The response has no body; its head
 * is all that is returned.
 */
import type { IncomingMessage } from "node:http";
import { ProxyError } from "../errors/ProxyError.ts";
import type { RawHeaders } from "../http/hopByHop.ts";
import type { Exchange } from "./Exchange.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { joinRawQuery, splitRawQuery } from "../sigv4/rawQuery.ts";
import { splitTarget } from "./s3StepHeaders.ts";
import { openResignedRequest } from "./s3StepResign.ts";

export async function headUpstream(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
  headers: RawHeaders,
): Promise<IncomingMessage> {
  const query = joinRawQuery(
    splitRawQuery(splitTarget(ex.path).query).filter((p) => p.name !== "partNumber"),
  );
  const req = await openResignedRequest(ex, deps, { method: "HEAD", region, headers, query });
  return new Promise<IncomingMessage>((resolve, reject) => {
    req.once("response", (res) => {
      res.resume();
      resolve(res);
    });
    req.once("error", (err) =>
      reject(
        new ProxyError("ServiceUnavailable", "The upstream endpoint could not be reached.", { cause: err }),
      ),
    );
    req.end();
  });
}
