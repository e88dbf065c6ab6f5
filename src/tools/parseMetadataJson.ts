/**
 * The metadata that goes with a downloaded object file (`--metadata meta.json`), in either shape an operator is
 * likely to have:
 *
 * - the output of `aws s3api head-object` (or the SDK's HeadObject result): `{ "ContentLength": …, "ETag": …,
 *   "Metadata": { "s3proxy-hdr": …, … } }` — S3 hands user metadata over without its `x-amz-meta-` prefix;
 * - a plain map of the user metadata, with or without the prefix: `{ "x-amz-meta-s3proxy-hdr": … }`.
 *
 * Names are lower-cased and given the `x-amz-meta-` prefix, which is how readEnvelopeMetadata matches them.
 * `ContentLength`, when present, lets the caller check the file is the complete object.
 */
import { ToolError } from "./ToolError.ts";

export interface ObjectMetadataFile {
  /** User metadata with `x-amz-meta-` names, lower case. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly contentLength?: number;
  readonly etag?: string;
  readonly versionId?: string;
  readonly contentType?: string;
}

const PREFIX = "x-amz-meta-";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringMap(value: Record<string, unknown>, where: string): Record<string, string> {
  const out: Record<string, string> = {}; // every name gets the prefix: no __proto__
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== "string") {
      throw new ToolError(
        "MetadataInvalid",
        `${where}: the value of ${JSON.stringify(name)} is not a string`,
      );
    }
    const lower = name.toLowerCase();
    const full = lower.startsWith(PREFIX) ? lower : `${PREFIX}${lower}`;
    if (full in out) throw new ToolError("MetadataInvalid", `${where}: ${full} appears twice`);
    out[full] = v;
  }
  return out;
}

function optionalString(doc: Record<string, unknown>, name: string): string | undefined {
  const v = doc[name];
  return typeof v === "string" ? v : undefined;
}

export function parseMetadataJson(text: string, source: string): ObjectMetadataFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new ToolError("MetadataInvalid", `${source} is not JSON`, { cause });
  }
  if (!isRecord(doc)) throw new ToolError("MetadataInvalid", `${source} is not a JSON object`);
  if (!("Metadata" in doc)) return { metadata: stringMap(doc, source) };
  const meta = doc.Metadata;
  if (!isRecord(meta)) throw new ToolError("MetadataInvalid", `${source}: "Metadata" is not an object`);
  const length = doc.ContentLength;
  if (length !== undefined && (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0)) {
    throw new ToolError("MetadataInvalid", `${source}: "ContentLength" is not a byte count`);
  }
  const etag = optionalString(doc, "ETag");
  const versionId = optionalString(doc, "VersionId");
  const contentType = optionalString(doc, "ContentType");
  return {
    metadata: stringMap(meta, `${source} Metadata`),
    ...(length === undefined ? {} : { contentLength: length }),
    ...(etag === undefined ? {} : { etag }),
    ...(versionId === undefined ? {} : { versionId }),
    ...(contentType === undefined ? {} : { contentType }),
  };
}
