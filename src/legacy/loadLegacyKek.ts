/**
 * Reads `--legacy-kek-file` with the checks every key file gets (readKeySourceFile.ts: a regular file, mode
 * 0600/0400, small). Errors are KeySourceErrors naming the path, never the bytes.
 */
import { KeySourceError } from "../keys/index.ts";
import { readKeySourceFile } from "../keys/readKeySourceFile.ts";
import { parseLegacyKek } from "./parseLegacyKek.ts";

export async function loadLegacyKek(path: string): Promise<Buffer> {
  const bytes = await readKeySourceFile(path, "owner-only");
  try {
    const parsed = parseLegacyKek(bytes.toString("utf8"));
    if ("problem" in parsed) throw new KeySourceError(`${path} ${parsed.problem}`);
    return parsed.kek;
  } finally {
    bytes.fill(0);
  }
}
