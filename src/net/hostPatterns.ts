/**
 * Which hostnames are S3 endpoints the proxy must intercept. The defaults cover every public S3 data-plane
 * host form (https://docs.aws.amazon.com/general/latest/gr/s3.html, .../AmazonS3/latest/userguide/VirtualHosting.html):
 * global and regional, virtual-hosted (bucket names may contain dots, so a bucket prefix spans labels) and
 * path-style, legacy `s3-<region>` and `s3-external-1`, dualstack, FIPS, access points, Object Lambda and
 * S3 Express directory buckets, in the aws, aws-cn and aws-us-gov partitions. Over-matching is the safe
 * direction: an intercepted host the S3 pipeline cannot handle is refused, never passed through in plaintext.
 *
 * User patterns (`--intercept`) are exact names or `*.suffix`, where `*` stands for one or more labels.
 */

const REGION = "[a-z]{2}(?:-[a-z]+)+-[0-9]+";
const SUFFIX = "amazonaws\\.com(?:\\.cn)?";
const BUCKET_PREFIX = "(?:[a-z0-9][a-z0-9.-]*\\.)?";

const DEFAULT_S3_PATTERNS: readonly RegExp[] = [
  // s3.amazonaws.com, s3.<region>.amazonaws.com, s3.dualstack.<region>…, s3-fips[.dualstack].<region>…
  new RegExp(`^${BUCKET_PREFIX}s3(?:-fips)?(?:\\.dualstack)?(?:\\.${REGION})?\\.${SUFFIX}$`),
  // legacy s3-<region>.amazonaws.com and s3-external-1.amazonaws.com
  new RegExp(`^${BUCKET_PREFIX}s3-(?:${REGION}|external-1)\\.${SUFFIX}$`),
  // access points and Object Lambda access points: <name>-<account>.s3-accesspoint[-fips][.dualstack].<region>…
  new RegExp(
    `^${BUCKET_PREFIX}s3-(?:accesspoint|object-lambda)(?:-fips)?(?:\\.dualstack)?\\.${REGION}\\.${SUFFIX}$`,
  ),
  // S3 Express One Zone: <bucket>--<az>--x-s3.s3express-<az>.<region>.amazonaws.com and the zonal control host
  new RegExp(`^${BUCKET_PREFIX}s3express(?:-control)?(?:-[a-z0-9-]+)?\\.${REGION}\\.${SUFFIX}$`),
];

export type HostMatcher = (host: string) => boolean;

function compileUserPattern(pattern: string): RegExp {
  const p = pattern.trim().toLowerCase();
  if (!/^(\*\.)?[a-z0-9_.-]+$/.test(p) || p.includes("..")) {
    throw new Error(`invalid --intercept pattern "${pattern}": use an exact host or *.suffix`);
  }
  const escape = (s: string): string => s.replace(/[.\\^$+?()[\]{}|-]/g, "\\$&");
  if (p.startsWith("*.")) return new RegExp(`^(?:[a-z0-9_-]+\\.)+${escape(p.slice(2))}$`);
  return new RegExp(`^${escape(p)}$`);
}

/** Builds the intercept matcher from the default S3 patterns (unless disabled) plus user patterns. */
export function buildInterceptMatcher(userPatterns: readonly string[], includeDefaults = true): HostMatcher {
  const patterns = [...(includeDefaults ? DEFAULT_S3_PATTERNS : []), ...userPatterns.map(compileUserPattern)];
  return (host) => patterns.some((re) => re.test(host));
}
