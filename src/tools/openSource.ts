/**
 * The object a tool command names: `s3://bucket/key[?versionId=…]` is read from S3 directly
 * (s3StoredObject.ts); anything else is a local file, whose metadata must come with `--metadata`
 * (fileStoredObject.ts). The S3 client is made only when needed (an S3 source), and `close()` releases it.
 */
import type { S3AccessConfig } from "../cli/s3AccessOptions.ts";
import { fileStoredObject } from "./fileStoredObject.ts";
import { isS3Url, parseS3Url } from "./parseS3Url.ts";
import type { StoredObject } from "./StoredObject.ts";
import { ToolError } from "./ToolError.ts";

export interface SourceOptions {
  readonly source: string;
  readonly metadataFile?: string | undefined;
  readonly versionId?: string | undefined;
  readonly s3: () => S3AccessConfig;
}

export interface OpenedSource {
  readonly object: StoredObject;
  readonly close: () => void;
}

export async function openSource(options: SourceOptions): Promise<OpenedSource> {
  if (isS3Url(options.source)) {
    if (options.metadataFile !== undefined) {
      throw new ToolError("ToolUsage", "--metadata is for a local file; an s3:// object brings its own");
    }
    const address = parseS3Url(options.source, options.versionId);
    const [{ createToolS3Client }, { s3StoredObject }] = await Promise.all([
      import("./createToolS3Client.ts"),
      import("./s3StoredObject.ts"),
    ]);
    const client = await createToolS3Client(options.s3());
    try {
      return { object: await s3StoredObject(client, address), close: () => client.destroy() };
    } catch (err) {
      client.destroy();
      throw err;
    }
  }
  if (options.metadataFile === undefined) {
    throw new ToolError(
      "ToolUsage",
      `${options.source} is a local file: give its metadata with --metadata FILE ` +
        "(`aws s3api head-object` output, or a JSON map of the x-amz-meta-* headers)",
    );
  }
  if (options.versionId !== undefined) throw new ToolError("ToolUsage", "--version-id is for s3:// objects");
  return { object: await fileStoredObject(options.source, options.metadataFile), close: () => undefined };
}
