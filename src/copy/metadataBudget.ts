/**
 * S3's 2 KB cap on user-defined metadata ("the sum of the number of bytes in the UTF-8 encoding of each key and
 * value", https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html), shared by the client's
 * metadata and the envelope the proxy adds. Counted as docs/FORMAT.md §2 budgets it: names with their
 * `x-amz-meta-` prefix (the conservative reading). Checked by the proxy wherever it writes the client's metadata
 * next to an envelope, so that a copy whose metadata no longer fits fails with a message saying why, instead of
 * S3's bare MetadataTooLarge about headers the client never sent.
 */
import { metadataBytes, S3_USER_METADATA_LIMIT } from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import type { RawHeaders } from "../http/hopByHop.ts";

const META = "x-amz-meta-";

/** Bytes of the `x-amz-meta-*` headers in `raw` (lower-case names with prefix, values as sent). */
export function userMetadataBytes(raw: RawHeaders): number {
  let total = 0;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = (raw[i] ?? "").toLowerCase();
    if (lower.startsWith(META))
      total += Buffer.byteLength(lower, "utf8") + Buffer.byteLength(raw[i + 1] ?? "");
  }
  return total;
}

/** Throws MetadataTooLarge when the user's metadata and the envelope together exceed S3's cap. */
export function checkMetadataBudget(userBytes: number, envelope: Readonly<Record<string, string>>): void {
  const envelopeBytes = metadataBytes(envelope);
  if (userBytes + envelopeBytes <= S3_USER_METADATA_LIMIT) return;
  throw new ProxyError(
    "MetadataTooLarge",
    `Your metadata headers exceed the maximum allowed metadata size: ${userBytes} bytes of user metadata ` +
      `plus the ${envelopeBytes} bytes of s3proxy's encryption envelope exceed S3's ` +
      `${S3_USER_METADATA_LIMIT}-byte limit; at most ${Math.max(S3_USER_METADATA_LIMIT - envelopeBytes, 0)} ` +
      "bytes are left for user metadata.",
  );
}
