/**
 * The I/O of `s3proxy decrypt`: opens the source, loads keys only if the object is encrypted, and pipes the
 * plaintext (openPlaintext.ts) to the output file or stdout with backpressure; one summary line on stderr.
 */
import { access } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { loadKeyRing } from "../cli/loadKeyRing.ts";
import type { S3AccessConfig } from "../cli/s3AccessOptions.ts";
import type { DecryptRequest } from "./decryptCommand.ts";
import { openPlaintext } from "./openPlaintext.ts";
import { openSource } from "./openSource.ts";
import { ToolError } from "./ToolError.ts";
import { writeOutputFile } from "./writeOutputFile.ts";

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function decryptToOutput(request: DecryptRequest, s3: () => S3AccessConfig): Promise<void> {
  if (request.output === undefined && process.stdout.isTTY) {
    throw new ToolError(
      "ToolUsage",
      "refusing to write plaintext bytes to a terminal: use -o FILE or redirect",
    );
  }
  // Fail before any request when the result could not be placed anyway.
  if (request.output !== undefined && !request.force && (await exists(request.output))) {
    throw new ToolError("OutputExists", `${request.output} exists; use --force to replace it`);
  }
  const { object, close } = await openSource({
    source: request.source,
    metadataFile: request.metadataFile,
    versionId: request.versionId,
    s3,
  });
  try {
    const plain = await openPlaintext(object, {
      keys: () => loadKeyRing(request.keys, { createDevelopmentKey: false }),
      range: request.range,
      allowPlaintext: request.allowPlaintext,
    });
    if (request.output === undefined) await pipeline([plain.source, ...plain.transforms, process.stdout]);
    else await writeOutputFile(request.output, plain.source, plain.transforms, request.force);
    const { start, end } = plain.span;
    process.stderr.write(
      `s3proxy decrypt: ${object.name}: ${end - start} of ${plain.plaintextLength} plaintext bytes ` +
        `[${start}, ${end})${plain.encrypted ? "" : " (stored as plaintext, copied as is)"}` +
        `${plain.md5Checked ? ", MD5 verified" : ""} -> ${request.output ?? "stdout"}\n`,
    );
  } finally {
    close();
  }
}
