/**
 * Opens the upstream request for an exchange the proxy changed: signs it with the proxy's own credentials
 * (resignRequest) for the client's Host — which is what goes upstream and what S3 routes virtual-hosted
 * buckets by — and sends it to the exchange's destination over the shared pool. The body is never signed
 * (UNSIGNED-PAYLOAD): the proxy streams ciphertext and would otherwise have to hash it before sending.
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
  input: { method: string; headers: RawHeaders; region: string | undefined },
): Promise<ClientRequest> {
  const { path, query } = splitTarget(ex.path);
  const credentials = await deps.credentials.get();
  const signed = await resignRequest(
    {
      method: input.method,
      host: clientHost(ex.req, ex.target.host),
      path,
      query,
      headers: input.headers,
      payloadHash: "UNSIGNED-PAYLOAD",
    },
    { region: input.region ?? deps.region, credentials },
  );
  return ex.upstream.request(ex.destination, {
    method: input.method,
    path: signed.query === "" ? path : `${path}?${signed.query}`,
    headers: signed.headers,
  });
}
