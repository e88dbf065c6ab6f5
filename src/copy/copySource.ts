/**
 * The `x-amz-copy-source` header of CopyObject and UploadPartCopy: which object (and version) is copied.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html: "the name of the source bucket and the
 * key of the source object, separated by a slash (/) … The value must be URL-encoded", optionally with a
 * leading slash, and "To copy a specific version of an object, append `?versionId=<version-id>`". The key is
 * URL-encoded, so the first `?` starts the version (a `?` in a key is `%3F`).
 *
 * Access-point ARNs (`arn:aws:s3:<region>:<account>:accesspoint/<name>/object/<key>`) and Outposts ARNs name a
 * source the proxy would have to reach through another endpoint: refused (NotImplemented), never guessed.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { percentDecode } from "../s3/percentDecode.ts";

export interface CopySource {
  readonly bucket: string;
  /** The decoded key. */
  readonly key: string;
  /** The decoded version id, when the source names one. */
  readonly versionId: string | undefined;
}

// Bucket names as S3 accepts them in a path (parseS3Endpoint.ts: today's rules plus legacy us-east-1 names).
const BUCKET = /^[A-Za-z0-9._-]{1,255}$/;

const invalid = (message: string): ProxyError => new ProxyError("InvalidArgument", message);

function decode(raw: string): string {
  try {
    return percentDecode(raw, { plusAsSpace: false });
  } catch (err) {
    throw new ProxyError("InvalidArgument", "Invalid copy source encoding.", { cause: err });
  }
}

export function parseCopySource(value: string): CopySource {
  const text = value.trim();
  if (/^arn:/i.test(text)) {
    throw new ProxyError(
      "NotImplemented",
      "A copy source given as an access point ARN is not supported through s3proxy; name the bucket.",
    );
  }
  const q = text.indexOf("?");
  const path = (q < 0 ? text : text.slice(0, q)).replace(/^\//, "");
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) {
    throw invalid("Copy Source must mention the source bucket and key: sourcebucket/sourcekey.");
  }
  const bucket = decode(path.slice(0, slash));
  if (!BUCKET.test(bucket) || bucket === "." || bucket === "..")
    throw invalid("Invalid copy source bucket name.");
  const key = decode(path.slice(slash + 1));
  if (q < 0) return { bucket, key, versionId: undefined };
  // S3 takes one parameter here, versionId; anything else is not a copy source it understands.
  const m = /^versionId=([^&]+)$/.exec(text.slice(q + 1));
  if (m?.[1] === undefined)
    throw invalid("Invalid copy source: only ?versionId=<version-id> may follow the key.");
  return { bucket, key, versionId: decode(m[1]) };
}
