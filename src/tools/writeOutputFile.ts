/**
 * Writes a stream to `path` all or nothing: the bytes go to a temporary file next to it (same directory, so
 * the final step is a rename within one file system), created exclusively and owner-only (it holds plaintext),
 * flushed to disk (fsync), and only then put in place. If the stream fails (a record that does not authenticate, an
 * MD5 mismatch, a network error), the temporary file is removed and `path` is untouched.
 *
 * Without `overwrite`, the final step is link(2) rather than rename(2): link fails if `path` exists meanwhile,
 * so an existing file is never replaced, not even by a race.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { link, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ToolError } from "./ToolError.ts";

export async function writeOutputFile(
  path: string,
  source: Readable,
  transforms: readonly Transform[],
  overwrite: boolean,
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.s3proxy-tmp`);
  let placed = false;
  try {
    // `flush`: fsync before close, so the rename below never publishes a file whose data is still in flight.
    await pipeline([
      source,
      ...transforms,
      createWriteStream(tmp, { flags: "wx", mode: 0o600, flush: true }),
    ]);
    if (overwrite) await rename(tmp, path);
    else {
      try {
        await link(tmp, path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") {
          throw new ToolError("OutputExists", `${path} exists; use --force to replace it`, { cause: err });
        }
        throw err;
      }
      await unlink(tmp);
    }
    placed = true;
  } finally {
    if (!placed) await unlink(tmp).catch(() => undefined);
  }
}
