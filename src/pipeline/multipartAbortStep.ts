/**
 * AbortMultipartUpload through the pipeline: the upload token is stripped from the UploadId and the request
 * re-signed (its query changed). Nothing is authenticated: aborting moves no data, and an UploadId without a
 * token (an upload started elsewhere, an id from ListMultipartUploads) must stay abortable so clients can
 * clean up.
 */
import type { S3Endpoint } from "../s3/S3Endpoint.ts";
import { toPipelineError } from "./encryptErrors.ts";
import type { Exchange } from "./Exchange.ts";
import { noBodyUploadHeaders } from "./multipartHeaders.ts";
import { clientUploadIdOf, upstreamUploadIdOf, upstreamUploadQuery } from "./multipartUpload.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders } from "./s3StepHeaders.ts";
import { relayS3Exchange } from "./s3StepRelay.ts";
import { openResignedRequest } from "./s3StepResign.ts";

export async function abortUpload(
  ex: Exchange,
  deps: S3StepDeps,
  endpoint: Pick<S3Endpoint, "query" | "rawQuery" | "region">,
): Promise<void> {
  const upstreamId = upstreamUploadIdOf(clientUploadIdOf(endpoint));
  const upstream = await openResignedRequest(ex, deps, {
    method: "DELETE",
    region: endpoint.region,
    headers: noBodyUploadHeaders(ex.req.rawHeaders),
    query: upstreamUploadQuery(endpoint.rawQuery, upstreamId),
  });
  await relayS3Exchange({
    upstream,
    res: ex.res,
    body: undefined,
    onResponse: (upRes) => ({ headers: clientResponseHeaders(upRes.rawHeaders), transforms: [] }),
    mapError: (err) => toPipelineError(err, false),
  });
}
