/**
 * The object's user metadata after re-wrapping: every entry as S3 returned it, with only the envelope's
 * `s3proxy-kek` and `s3proxy-dek` replaced (docs/FORMAT.md §2: "Re-wrapping rewrites only kek and dek"; `hdr`
 * and the sealed `md5` are bound to the header and the DEK, which do not change). Names are as the SDK takes
 * them, without the `x-amz-meta-` prefix.
 *
 * The new reference and wrapped DEK may be longer than the old ones (a KMS key ARN and blob instead of a local
 * key), so S3's 2 KB budget is checked here, with a message saying why, rather than left to S3's bare
 * MetadataTooLarge (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html).
 */
import {
  encodeBase64url,
  META_DEK,
  META_KEK,
  metadataBytes,
  S3_USER_METADATA_LIMIT,
} from "../../crypto/index.ts";
import type { WrappedDek } from "../../keys/index.ts";
import { ToolError } from "../ToolError.ts";

const PREFIX = "x-amz-meta-";
const KEK = META_KEK.slice(PREFIX.length);
const DEK = META_DEK.slice(PREFIX.length);

export function rewrappedMetadata(
  metadata: Readonly<Record<string, string>>,
  wrapped: WrappedDek,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) out[name.toLowerCase()] = value;
  out[KEK] = wrapped.kekRef;
  out[DEK] = encodeBase64url(wrapped.wrappedDek);
  const prefixed = Object.fromEntries(Object.entries(out).map(([n, v]) => [`${PREFIX}${n}`, v]));
  const total = metadataBytes(prefixed);
  if (total > S3_USER_METADATA_LIMIT) {
    throw new ToolError(
      "MetadataTooLarge",
      `with ${wrapped.kekRef} the metadata would take ${total} bytes, more than S3's ${S3_USER_METADATA_LIMIT}`,
    );
  }
  return out;
}
