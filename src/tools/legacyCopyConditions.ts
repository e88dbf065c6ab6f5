/**
 * radosgw reads CopyObject's source conditions from `x-amz-copy-if-match` (and `-if-none-match`,
 * `-if-modified-since`, `-if-unmodified-since`) and ignores S3's `x-amz-copy-source-if-*`
 * (https://tracker.ceph.com/issues/40808; measured on radosgw 16.2: a copy with a stale
 * x-amz-copy-source-if-match succeeds, one with x-amz-copy-if-match answers 412). Without the condition a
 * re-wrap racing a concurrent overwrite would put the old envelope on the new body. For S3-compatible endpoints
 * (`--upstream-endpoint`) the tools therefore send each condition under both names; requests to AWS carry only
 * S3's own headers.
 */
import type { S3Client } from "@aws-sdk/client-s3";

const CONDITIONS = ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"] as const;

/** The headers to add for a request's headers (pure): `x-amz-copy-<condition>` for each `x-amz-copy-source-<condition>`. */
export function legacyCopyConditionHeaders(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const condition of CONDITIONS) {
    const value = headers[`x-amz-copy-source-${condition}`];
    if (value !== undefined) out[`x-amz-copy-${condition}`] = value;
  }
  return out;
}

export function addLegacyCopyConditions(client: S3Client): void {
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (request?.headers !== undefined)
        Object.assign(request.headers, legacyCopyConditionHeaders(request.headers));
      return next(args);
    },
    // "build": after serialization made the headers, before the signer signs them.
    { step: "build", name: "s3proxyLegacyCopyConditions" },
  );
}
