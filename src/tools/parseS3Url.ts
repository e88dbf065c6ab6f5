/**
 * `s3://bucket/key[?versionId=ID]`, the object address the tools take. The key is everything after the first
 * `/` after the bucket, taken literally (no %-decoding, as the AWS CLI takes s3:// URLs), so keys with `%`,
 * spaces or `?` work; only a trailing `?versionId=<id>` is read as the version. A key that itself ends in
 * `?versionId=…` needs the explicit `--version-id` flag instead (which then wins and leaves the key whole).
 */
import { ToolError } from "./ToolError.ts";

export interface S3ObjectAddress {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

const VERSION_SUFFIX = /\?versionId=([^?&=/\s]+)$/;

export function isS3Url(text: string): boolean {
  return text.startsWith("s3://");
}

export function parseS3Url(text: string, explicitVersionId?: string): S3ObjectAddress {
  if (!isS3Url(text)) throw new ToolError("ToolUsage", `not an s3:// URL: ${JSON.stringify(text)}`);
  const rest = text.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  let key = slash < 0 ? "" : rest.slice(slash + 1);
  let versionId = explicitVersionId;
  if (versionId === undefined) {
    const m = VERSION_SUFFIX.exec(key);
    if (m !== null) {
      versionId = m[1];
      key = key.slice(0, m.index);
    }
  }
  if (bucket === "" || key === "") {
    throw new ToolError("ToolUsage", `${JSON.stringify(text)} names no object: use s3://bucket/key`);
  }
  if (versionId === "") throw new ToolError("ToolUsage", "--version-id is empty");
  return versionId === undefined ? { bucket, key } : { bucket, key, versionId };
}

/** `s3://bucket/key` for messages, with control characters escaped so a key cannot forge output lines. */
export function formatS3Url(bucket: string, key: string, versionId?: string): string {
  const safe = `${bucket}/${key}`.replace(
    // eslint-disable-next-line no-control-regex
    /[\x00-\x1f\x7f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return `s3://${safe}${versionId === undefined ? "" : `?versionId=${versionId}`}`;
}
