/**
 * Turns an intercepted request's host and origin-form target into the S3 bucket, key, region and query it
 * addresses (S3Endpoint.ts). Pure: no DNS, no configuration lookups beyond the options passed in.
 *
 * Host rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html):
 * - AWS names are parsed by parseAwsS3Host.ts; those rules are authoritative for `*.amazonaws.com[.cn]`.
 * - Any other host is a custom endpoint (MinIO, Ceph, …): path-style, unless it is `<bucket>.<base>` for a
 *   configured `virtualHostBases` entry and not matched by `pathStyleHosts`.
 *
 * Path rules: the key is the rest of the path after the bucket, percent-decoded once, with nothing else done
 * to it. S3 does not normalise dot segments or collapse slashes, so `/bucket/a/../b` is key `a/../b` and
 * `/bucket//x` is key `/x` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). A `+` in
 * the path is a literal plus (RFC 3986); SDKs send spaces as `%20`. Malformed escapes and ill-formed UTF-8
 * are S3's `InvalidURI`; a path-style bucket segment that is not a bucket name is `InvalidBucketName`.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import type { HostMatcher } from "../net/hostPatterns.ts";
import { parseAwsS3Host } from "./parseAwsS3Host.ts";
import { parseQueryString } from "./parseQueryString.ts";
import { percentDecode } from "./percentDecode.ts";
import type { S3Endpoint, S3EndpointStyle } from "./S3Endpoint.ts";

export interface ParseS3EndpointOptions {
  /** Custom hosts that are always path-style, even when they fall under a `virtualHostBases` entry. */
  pathStyleHosts?: HostMatcher;
  /**
   * Base hosts of custom endpoints that also accept virtual-hosted requests: `photos.minio.internal` is
   * bucket `photos` when `minio.internal` is listed. Not consulted for AWS names.
   */
  virtualHostBases?: readonly string[];
}

// Bucket names as S3 accepts them in a path: today's rules (3-63 of a-z 0-9 . -) plus legacy us-east-1
// names (upper case, `_`, up to 255), https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const PATH_BUCKET = /^[A-Za-z0-9._-]{1,255}$/;

interface HostView {
  style: S3EndpointStyle;
  hostBucket: string | undefined;
  region: string | undefined;
  accountId: string | undefined;
}

function customHost(host: string, options: ParseS3EndpointOptions): HostView {
  const path: HostView = { style: "path", hostBucket: undefined, region: undefined, accountId: undefined };
  if (options.pathStyleHosts?.(host)) return path;
  // Longest base first, so `a.b.example` under bases `example` and `b.example` is bucket `a`.
  const bases = [...(options.virtualHostBases ?? [])].sort((x, y) => y.length - x.length);
  for (const base of bases) {
    const b = base.toLowerCase();
    if (host.length > b.length + 1 && host.endsWith(`.${b}`)) {
      return { ...path, style: "virtual", hostBucket: host.slice(0, -(b.length + 1)) };
    }
  }
  return path;
}

function decodePath(raw: string): string {
  return percentDecode(raw, { plusAsSpace: false });
}

/**
 * @param host the request's host, lowercased and validated (hostAuthority.ts), without its port
 * @param target the origin-form request target exactly as the client sent it (`/path?query`)
 */
export function parseS3Endpoint(
  host: string,
  target: string,
  options: ParseS3EndpointOptions = {},
): S3Endpoint {
  if (!target.startsWith("/")) {
    throw new ProxyError("InvalidURI", "Couldn't parse the specified URI: not an origin-form target.");
  }
  const q = target.indexOf("?");
  const rawPath = q === -1 ? target : target.slice(0, q);
  const rawQuery = q === -1 ? "" : target.slice(q + 1);
  const view = parseAwsS3Host(host) ?? customHost(host, options);
  const query = parseQueryString(rawQuery);

  let bucket: string | undefined;
  let rawKeyPath: string;
  if (view.hostBucket !== undefined) {
    bucket = view.hostBucket;
    rawKeyPath = rawPath.slice(1);
  } else {
    const slash = rawPath.indexOf("/", 1);
    const rawBucket = slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash);
    rawKeyPath = slash === -1 ? "" : rawPath.slice(slash + 1);
    if (rawBucket.length > 0) {
      bucket = decodePath(rawBucket);
      if (!PATH_BUCKET.test(bucket) || bucket === "." || bucket === "..") {
        throw new ProxyError("InvalidBucketName", "The specified bucket is not valid.");
      }
    } else if (rawKeyPath.length > 0) {
      throw new ProxyError("InvalidURI", "Couldn't parse the specified URI: empty bucket name.");
    }
  }
  const decodedKey = decodePath(rawKeyPath);
  return {
    style: view.style,
    bucket,
    key: decodedKey.length > 0 ? decodedKey : undefined,
    region: view.region,
    accountId: view.accountId,
    rawPath,
    rawKeyPath,
    rawQuery,
    query,
  };
}
