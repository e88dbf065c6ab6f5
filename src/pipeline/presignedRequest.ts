/**
 * Presigned URLs (query-string SigV4, https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
 * through the pipeline. The proxy cannot verify the client's signature without the client's secret (client
 * identities are a later issue), but it can and does refuse what S3 would refuse on its face: malformed
 * X-Amz-* parameters, an X-Amz-Expires over seven days, a URL that is not yet valid or has expired. What
 * passes is re-signed like every other request (resignRequest drops the X-Amz-* signing parameters and signs
 * with the proxy's credentials), so an expired URL must be stopped here: upstream would never see its dates.
 */
import { parseClientAuth } from "../sigv4/parseClientAuth.ts";
import { checkRequestTime } from "../sigv4/checkRequestTime.ts";
import type { Exchange } from "./Exchange.ts";
import { splitTarget } from "./s3StepHeaders.ts";

const QUERY_AUTH = /(?:^|&)x-amz-(?:algorithm|credential|signature)=/i;

/** Throws the S3 error for a presigned request S3 would refuse; does nothing for header-signed requests. */
export function checkPresignedRequest(ex: Exchange, nowMs: number): void {
  const { path, query } = splitTarget(ex.path);
  if (!QUERY_AUTH.test(query)) return;
  const auth = parseClientAuth({ method: ex.req.method ?? "GET", path, query, headers: ex.req.rawHeaders });
  checkRequestTime(auth, nowMs);
}
