/**
 * A downloaded object: the stored bytes in a local file and its metadata in a JSON file (parseMetadataJson.ts).
 * Ranges are read by seeking in the file. When the metadata says how long the object is (head-object output),
 * a file of another length is refused: a partial download would otherwise look like a shorter object, and a
 * single-part object's records would then all fail their position checks with a less helpful message.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { parseMetadataJson } from "./parseMetadataJson.ts";
import type { StoredObject } from "./StoredObject.ts";
import { ToolError } from "./ToolError.ts";

export async function fileStoredObject(path: string, metadataPath: string): Promise<StoredObject> {
  const info = await stat(path);
  if (!info.isFile()) throw new ToolError("ToolUsage", `${path} is not a regular file`);
  const meta = parseMetadataJson(await readFile(metadataPath, "utf8"), metadataPath);
  if (meta.contentLength !== undefined && meta.contentLength !== info.size) {
    throw new ToolError(
      "ToolUsage",
      `${path} has ${info.size} bytes but ${metadataPath} says the object has ${meta.contentLength}: ` +
        "an incomplete download, or the metadata of another object",
    );
  }
  return {
    name: path,
    metadata: meta.metadata,
    storedLength: info.size,
    ...(meta.etag === undefined ? {} : { etag: meta.etag }),
    ...(meta.versionId === undefined ? {} : { versionId: meta.versionId }),
    ...(meta.contentType === undefined ? {} : { contentType: meta.contentType }),
    read(start, end) {
      if (end <= start) return Promise.resolve(Readable.from([]));
      return Promise.resolve(createReadStream(path, { start, end: end - 1 }));
    },
  };
}
