/**
 * Opens the upstream request for an exchange the proxy changed: signs it with the proxy's own credentials
 * (resignRequest) for the client's Host — which is what goes upstream and what S3 routes virtual-hosted
 * buckets by — and sends it to the exchange's destination over the shared pool. A body the proxy produces is
 * never signed (UNSIGNED-PAYLOAD): it streams ciphertext and would otherwise have to hash it before sending; a
 * body relayed unchanged keeps the payload hash the client signed (forwardResigned.ts).
 */
import type { ClientRequest } from "node:http";
import type { RawHeaders } from "../http/hopByHop.ts";
import { resignRequest } from "../sigv4/resignRequest.ts";
import type { Exchange } from "./Exchange.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientHost, splitTarget } from "./s3StepHeaders.ts";

export async function openResignedRequest(
  ex: Exchange,
  deps: S3StepDeps,
  input: {
    method: string;
    headers: RawHeaders;
    region: string | undefined;
    /** A raw query to send instead of the client's (multipart: the upstream UploadId in place of the client's). */
    query?: string;
    /** x-amz-content-sha256 to sign; default UNSIGNED-PAYLOAD. */
    payloadHash?: string;
  },
): Promise<ClientRequest> {
  const target = splitTarget(ex.path);
  const path = target.path;
  const query = input.query ?? target.query;
  const credentials = await deps.credentials.get();
  const signed = await resignRequest(
    {
      method: input.method,
      host: ex.upstreamHost ?? clientHost(ex.req, ex.target.host),
      path,
      query,
      headers: input.headers,
      payloadHash: input.payloadHash ?? "UNSIGNED-PAYLOAD",
    },
    { region: input.region ?? deps.region, credentials },
  );
  return ex.upstream.request(ex.destination, {
    method: input.method,
    path: signed.query === "" ? path : `${path}?${signed.query}`,
    headers: signed.headers,
  });
}
