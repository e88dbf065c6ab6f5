/**
 * What one intercepted request addresses in S3 terms: endpoint style, bucket, key, region and query, decoded
 * for decisions and still encoded where the request must later be re-signed byte for byte. Produced by
 * parseS3Endpoint.ts; read by the operation classifier and the S3 pipeline.
 */
import type { QueryParam } from "./parseQueryString.ts";

/**
 * How the request names its bucket (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html):
 * - `virtual`: bucket in the host (`bucket.s3.<region>.amazonaws.com`, or `<bucket>.<custom base host>`);
 * - `path`: bucket in the first path segment (`s3.<region>.amazonaws.com/bucket/key`, custom endpoints);
 * - `access-point`: `<name>-<account>.s3-accesspoint.<region>.amazonaws.com` (virtual-hosted only);
 * - `object-lambda`: `<name>-<account>.s3-object-lambda.<region>.amazonaws.com` (data produced by a Lambda);
 * - `s3express`: S3 Express One Zone directory buckets, zonal `<bucket>.s3express-<az>.<region>…` or the
 *   regional `s3express-control.<region>…` (path-style).
 */
export type S3EndpointStyle = "virtual" | "path" | "access-point" | "object-lambda" | "s3express";

export interface S3Endpoint {
  style: S3EndpointStyle;
  /**
   * The bucket the request addresses: for access points and Object Lambda the host's first label
   * (`<name>-<account>`), i.e. the access point, not the bucket behind it. Undefined for service-level
   * requests (ListBuckets).
   */
  bucket: string | undefined;
  /** The decoded object key (any UTF-8, may contain `/`, `//`, `+`, `%`, dot segments, a trailing `/`). */
  key: string | undefined;
  /** The AWS region the host names; undefined for custom endpoints and hosts that name none. */
  region: string | undefined;
  /** The 12-digit account of an access-point or Object Lambda host, when the host carries one. */
  accountId: string | undefined;
  /** The path exactly as sent (still encoded, without the query). */
  rawPath: string;
  /**
   * The key exactly as sent (still encoded): the path after the bucket segment and its `/` (path-style) or
   * after the leading `/` (virtual-hosted). `key === percentDecode(rawKeyPath)`; "" when there is no key.
   */
  rawKeyPath: string;
  /** Everything after the first `?`, exactly as sent; "" when there is none. */
  rawQuery: string;
  /** Decoded query parameters in request order, duplicates kept; `?uploads` has the value "". */
  query: readonly QueryParam[];
}
