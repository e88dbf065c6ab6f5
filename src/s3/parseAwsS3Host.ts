/**
 * Recognises the AWS S3 data-plane host names and what each says about bucket, region and style. Sources:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html (virtual-hosted, path-style,
 * legacy `s3-<region>` and `s3-external-1`, the global endpoint being us-east-1),
 * https://docs.aws.amazon.com/general/latest/gr/s3.html (dualstack, FIPS, `.amazonaws.com.cn`),
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-naming.html (access points: virtual-hosted
 * only), https://docs.aws.amazon.com/AmazonS3/latest/userguide/olap-use.html (Object Lambda) and
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-networking.html (S3 Express zonal and
 * regional endpoints).
 *
 * Bucket names may contain dots, so a virtual-hosted bucket is everything before the *rightmost* service name:
 * `my.s3.bucket.s3.us-east-1.amazonaws.com` is bucket `my.s3.bucket`. The forms below are anchored at the end
 * of the host and take the longest prefix, and no service form is a suffix of another, so that choice is
 * unique.
 *
 * A host under an AWS suffix that matches no form (website, control-plane, Multi-Region Access Point names)
 * is refused rather than guessed at: reading the bucket from the wrong place would apply the wrong policy.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import type { S3EndpointStyle } from "./S3Endpoint.ts";

export interface AwsS3Host {
  style: S3EndpointStyle;
  /** The bucket (or access point) named by the host; undefined when the path names it. */
  hostBucket: string | undefined;
  region: string | undefined;
  accountId: string | undefined;
}

const REGION = "(?<region>[a-z]{2}(?:-[a-z]+)+-[0-9]+)";
const ANY_PREFIX = "(?:(?<prefix>.+)\\.)?";
const LABEL_PREFIX = "(?<prefix>[^.]+)\\.";
const AWS_SUFFIX = /(?:^|\.)amazonaws\.com(\.cn)?$/;

interface HostForm {
  /** Matches the host without its partition suffix. */
  pattern: RegExp;
  /** Style when the host carries a bucket prefix, and when it does not (the bucket is then in the path). */
  style: { prefixed: S3EndpointStyle; bare: S3EndpointStyle };
  /** Region of a form that names none (the global endpoint and `s3-external-1` are us-east-1). */
  impliedRegion?: string;
  /** Whether the prefix is `<name>-<account>` (access points, Object Lambda). */
  accountPrefix?: true;
}

const FORMS: readonly HostForm[] = [
  // s3, s3.<region>, s3-fips.<region>, s3.dualstack.<region>, s3-fips.dualstack.<region>
  {
    pattern: new RegExp(`^${ANY_PREFIX}s3(?:(?:-fips)?(?:\\.dualstack)?\\.${REGION})?$`),
    style: { prefixed: "virtual", bare: "path" },
    impliedRegion: "us-east-1",
  },
  // legacy s3-external-1 (us-east-1) and s3-<region>
  {
    pattern: new RegExp(`^${ANY_PREFIX}s3-external-1$`),
    style: { prefixed: "virtual", bare: "path" },
    impliedRegion: "us-east-1",
  },
  {
    pattern: new RegExp(`^${ANY_PREFIX}s3-${REGION}$`),
    style: { prefixed: "virtual", bare: "path" },
  },
  // <name>-<account>.s3-accesspoint[-fips][.dualstack].<region>
  {
    pattern: new RegExp(`^${LABEL_PREFIX}s3-accesspoint(?:-fips)?(?:\\.dualstack)?\\.${REGION}$`),
    style: { prefixed: "access-point", bare: "access-point" },
    accountPrefix: true,
  },
  // <name>-<account>.s3-object-lambda[-fips].<region> (and the WriteGetObjectResponse route prefix)
  {
    pattern: new RegExp(`^${LABEL_PREFIX}s3-object-lambda(?:-fips)?(?:\\.dualstack)?\\.${REGION}$`),
    style: { prefixed: "object-lambda", bare: "object-lambda" },
    accountPrefix: true,
  },
  // s3express-control.<region>: regional endpoint, path-style only
  {
    pattern: new RegExp(`^s3express-control\\.${REGION}$`),
    style: { prefixed: "s3express", bare: "s3express" },
  },
  // <bucket>--<az>--x-s3.s3express-<az>.<region>: zonal endpoint (directory bucket names have no dots)
  {
    pattern: new RegExp(`^(?:${LABEL_PREFIX})?s3express-(?!control\\.)[a-z0-9-]+\\.${REGION}$`),
    style: { prefixed: "s3express", bare: "s3express" },
  },
];

function unsupported(): ProxyError {
  return new ProxyError("ProxyUnsupportedEndpoint", "The host is not an S3 endpoint this proxy understands.");
}

/**
 * Parses an AWS host (lowercased, validated). Returns undefined when the host is not under
 * `.amazonaws.com`/`.amazonaws.com.cn` (a custom endpoint); throws ProxyError `ProxyUnsupportedEndpoint`
 * when it is, but is not an S3 data-plane name, or is an access-point/Object Lambda name without its prefix.
 */
export function parseAwsS3Host(host: string): AwsS3Host | undefined {
  const suffix = AWS_SUFFIX.exec(host);
  if (!suffix) return undefined;
  const china = suffix[1] !== undefined;
  const rest = host.slice(0, suffix.index);
  for (const form of FORMS) {
    const m = form.pattern.exec(rest);
    if (!m) continue;
    const prefix = m.groups?.["prefix"];
    const region = m.groups?.["region"] ?? (china ? undefined : form.impliedRegion);
    if (form.accountPrefix) {
      if (prefix === undefined) throw unsupported();
      const account = /-([0-9]{12})$/.exec(prefix);
      return { style: form.style.prefixed, hostBucket: prefix, region, accountId: account?.[1] };
    }
    return {
      style: prefix === undefined ? form.style.bare : form.style.prefixed,
      hostBucket: prefix,
      region,
      accountId: undefined,
    };
  }
  throw unsupported();
}
