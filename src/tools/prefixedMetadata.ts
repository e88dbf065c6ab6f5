/**
 * User metadata as the format module reads it: S3 and the SDK hand it over without the `x-amz-meta-` prefix
 * (HeadObject's `Metadata`), readEnvelopeMetadata matches the full header names (docs/FORMAT.md §2).
 */
export function prefixedMetadata(
  metadata: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {}; // every name gets the prefix: no __proto__
  for (const [name, value] of Object.entries(metadata ?? {})) out[`x-amz-meta-${name.toLowerCase()}`] = value;
  return out;
}
