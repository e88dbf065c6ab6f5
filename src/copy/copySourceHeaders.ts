/**
 * The headers the proxy's own HEAD/GET of a copy source carries, taken from the client's copy request
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html, API_UploadPartCopy.html):
 * - `x-amz-copy-source-server-side-encryption-customer-{algorithm,key,key-MD5}`: the SSE-C key of the source,
 *   which a GET/HEAD of that object takes as `x-amz-server-side-encryption-customer-*`;
 * - `x-amz-source-expected-bucket-owner`: the source bucket's owner, `x-amz-expected-bucket-owner` on a read;
 * - `x-amz-request-payer`: applies to both buckets.
 * Everything else on the copy request describes the destination and stays off the source's reads.
 */
import type { RawHeaders } from "../http/hopByHop.ts";

const SOURCE_SSE_C = "x-amz-copy-source-server-side-encryption-customer-";
const SSE_C = "x-amz-server-side-encryption-customer-";

export function copySourceReadHeaders(raw: RawHeaders): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = (raw[i] ?? "").toLowerCase();
    const value = raw[i + 1] ?? "";
    if (lower.startsWith(SOURCE_SSE_C)) out.push(SSE_C + lower.slice(SOURCE_SSE_C.length), value);
    else if (lower === "x-amz-source-expected-bucket-owner") out.push("x-amz-expected-bucket-owner", value);
    else if (lower === "x-amz-request-payer") out.push(lower, value);
  }
  return out;
}
