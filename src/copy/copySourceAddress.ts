/**
 * How the proxy addresses a copy's source object upstream, for its own HEAD and GETs of it: the same endpoint
 * the client's copy request went to, in the same style
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html):
 * - path-style (`s3.<region>.amazonaws.com/bucket/key`, custom endpoints): `/<source bucket>/<source key>` on
 *   the client's Host;
 * - virtual-hosted (`bucket.s3.<region>.amazonaws.com/key`): the Host with its leading bucket label replaced by
 *   the source bucket (`source.s3.<region>.amazonaws.com`), path `/<source key>`.
 * Access points, S3 Express and Object Lambda hosts name something other than a bucket in their first label;
 * copies through them are refused (NotImplemented) rather than read from a guessed address.
 *
 * The key is URI-encoded the way SigV4 canonicalises an object path (slashes kept), as listing HEADs do; the
 * version, when named, goes in the query.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import type { S3EndpointStyle } from "../s3/S3Endpoint.ts";
import { uriEncode } from "../sigv4/uriEncode.ts";
import type { CopySource } from "./copySource.ts";

export interface CopySourceAddress {
  /** The Host to sign and send; undefined: the client's own Host (same bucket, or path-style). */
  readonly host: string | undefined;
  /** Origin-form target: path and, for a version, `?versionId=…`. */
  readonly target: string;
}

export function copySourceAddress(
  destination: { style: S3EndpointStyle; bucket: string | undefined; host: string },
  source: CopySource,
): CopySourceAddress {
  const key = uriEncode(source.key, false);
  const query = source.versionId === undefined ? "" : `?versionId=${uriEncode(source.versionId)}`;
  if (destination.style === "path") {
    return { host: undefined, target: `/${uriEncode(source.bucket)}/${key}${query}` };
  }
  const bucket = destination.bucket;
  if (destination.style === "virtual" && bucket !== undefined) {
    const target = `/${key}${query}`;
    if (source.bucket === bucket) return { host: undefined, target };
    const prefix = `${bucket.toLowerCase()}.`;
    if (destination.host.toLowerCase().startsWith(prefix)) {
      return { host: `${source.bucket}.${destination.host.slice(prefix.length)}`, target };
    }
  }
  throw new ProxyError(
    "NotImplemented",
    `Copies through ${destination.style} endpoints are not supported through s3proxy; use the bucket's ` +
      "regular S3 endpoint.",
  );
}
