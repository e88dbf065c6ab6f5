/** Loads and validates a key file (keyFileFormat.ts) that only its owner can access. */
import { parseKeyFile } from "./keyFileFormat.ts";
import type { KeySet } from "./keySet.ts";
import { readKeySourceFile } from "./readKeySourceFile.ts";

export async function loadKeyFile(path: string): Promise<KeySet> {
  const bytes = await readKeySourceFile(path, "owner-only");
  return parseKeyFile(bytes.toString("utf8"), `key file ${path}`);
}
