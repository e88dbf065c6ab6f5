/**
 * `x-amz-metadata-directive` and `x-amz-tagging-directive` of CopyObject: whether the destination gets the
 * source's metadata (tags) or the request's (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html:
 * "Valid Values: COPY | REPLACE", default COPY).
 *
 * The proxy decides what to send by this value (REPLACE must carry the envelope, or S3 would store the copy
 * without it), so it must read it exactly as S3 will: anything but one of the two values — another spelling,
 * a repeated header that S3 might read differently — is refused, and the upstream request carries the
 * canonical value the proxy acted on.
 */
import type { IncomingHttpHeaders } from "node:http";
import { ProxyError } from "../errors/ProxyError.ts";

export type CopyDirective = "COPY" | "REPLACE";

function directive(headers: IncomingHttpHeaders, name: string): CopyDirective {
  const value = headers[name];
  if (value === undefined) return "COPY";
  if (value === "COPY" || value === "REPLACE") return value;
  throw new ProxyError("InvalidArgument", `Unknown ${name} value; valid values are COPY and REPLACE.`);
}

export function metadataDirectiveOf(headers: IncomingHttpHeaders): CopyDirective {
  return directive(headers, "x-amz-metadata-directive");
}

export function taggingDirectiveOf(headers: IncomingHttpHeaders): CopyDirective {
  return directive(headers, "x-amz-tagging-directive");
}
