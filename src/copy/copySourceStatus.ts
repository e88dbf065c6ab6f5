/**
 * The error for a copy whose source the proxy could not HEAD. The proxy never forwards a copy of a source it has
 * not seen (it could be plaintext, or carry an envelope REPLACE would drop), so it answers itself, with the code
 * S3 gives a copy in the same situation (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 * A HEAD answer has no body, so the status and a few headers are all there is to go by.
 */
import type { IncomingHttpHeaders } from "node:http";
import { ProxyError } from "../errors/ProxyError.ts";

export function copySourceUnavailable(status: number, headers: IncomingHttpHeaders): ProxyError {
  const region = headers["x-amz-bucket-region"];
  if (status === 301 || status === 307 || (status === 400 && typeof region === "string")) {
    return new ProxyError(
      "InvalidRequest",
      `The copy source bucket is in another region${typeof region === "string" ? ` (${region})` : ""}: ` +
        "s3proxy reads copy sources through the destination's endpoint and region only.",
    );
  }
  switch (status) {
    case 404:
      return new ProxyError("NoSuchKey", "The specified copy source does not exist.");
    case 403:
      return new ProxyError("AccessDenied", "Access to the copy source was denied.");
    case 405:
      // A HEAD of a version that is a delete marker (API_HeadObject.html).
      return new ProxyError("InvalidRequest", "The specified copy source is a delete marker.");
    case 400:
      return new ProxyError(
        "InvalidRequest",
        "The copy source cannot be read (HEAD answered 400); an object stored with SSE-C needs the " +
          "x-amz-copy-source-server-side-encryption-customer-* headers.",
      );
    default:
      return status >= 500
        ? new ProxyError("ServiceUnavailable", `The upstream answered the copy source's HEAD with ${status}.`)
        : new ProxyError(
            "ProxyUpstreamFailed",
            `The upstream answered the copy source's HEAD with ${status}.`,
          );
  }
}
