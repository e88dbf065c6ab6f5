/**
 * The file operations behind `s3proxy keys rotate`: add a key, make a key active. Both validate the whole
 * resulting set and write atomically (updateKeyFile.ts), so a key file is always complete and owner-only.
 */
import type { Kek, KeySet } from "./keySet.ts";
import { updateKeyFile } from "./updateKeyFile.ts";
import { withActiveKey, withKey } from "./withKey.ts";

/** Adds `kek` to the key file at `path`; with `makeActive` it wraps every new DEK from then on. */
export async function addKey(path: string, kek: Kek, makeActive: boolean): Promise<KeySet> {
  return updateKeyFile(path, (current) => withKey(current, kek, makeActive, `key file ${path}`));
}

/** Makes the existing key `id` the active one. */
export async function setActiveKey(path: string, id: string): Promise<KeySet> {
  return updateKeyFile(path, (current) => withActiveKey(current, id, `key file ${path}`));
}
