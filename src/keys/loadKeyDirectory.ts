/**
 * Keys from a directory with one file per key id (its content: the base64 of 32 bytes) and a file `active`
 * naming the active id: the shape of a mounted Kubernetes Secret
 * (`kubectl create secret generic s3proxy-keys --from-literal=prod-2025=$(openssl rand -base64 32)
 * --from-literal=active=prod-2025`).
 *
 * The kubelet updates a Secret volume by switching the `..data` symlink to a new timestamped directory, and
 * the visible names are symlinks through `..data`. Reading each visible name in turn could mix an old
 * `active` with new keys mid-update, so when `..data` exists every file is read from the one directory it
 * resolves to: a consistent snapshot. Names starting with `.` are skipped (the kubelet's own entries).
 */
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { KeySourceError } from "./errors.ts";
import { decodeKekBase64 } from "./kekEncoding.ts";
import {
  ACTIVE_FILE,
  isValidKekId,
  KEK_ID_RULE,
  KEK_LENGTH,
  kekFromBytes,
  type Kek,
  type KeySet,
  validateKeySet,
} from "./keySet.ts";
import { readKeySourceFile } from "./readKeySourceFile.ts";

/** The kubelet's atomically switched link to the current contents of a Secret volume. */
export const SECRET_DATA_LINK = "..data";

async function snapshotDirectory(dir: string, source: string): Promise<string> {
  try {
    return await fs.realpath(join(dir, SECRET_DATA_LINK));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new KeySourceError(`${source}: cannot resolve ${SECRET_DATA_LINK}`, { cause: err });
    }
    return dir;
  }
}

async function listNames(base: string, source: string): Promise<string[]> {
  try {
    return (await fs.readdir(base)).filter((name) => !name.startsWith(".")).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === "ENOENT" ? "does not exist" : `cannot be listed (${code ?? "unknown error"})`;
    throw new KeySourceError(`${source} ${what}`, { cause: err });
  }
}

async function readKek(base: string, id: string, source: string): Promise<Kek> {
  const bytes = await readKeySourceFile(join(base, id), "owner-or-group-read");
  const decoded = decodeKekBase64(bytes.toString("latin1").trim());
  if (decoded === undefined) {
    const hint =
      bytes.byteLength === KEK_LENGTH
        ? "; it looks like 32 raw bytes: store their base64 text (`openssl rand -base64 32`)"
        : "";
    throw new KeySourceError(`${source}: file "${id}" does not hold the base64 of 32 bytes${hint}`);
  }
  return kekFromBytes(id, decoded, source);
}

export async function loadKeyDirectory(dir: string): Promise<KeySet> {
  const source = `key directory ${dir}`;
  const base = await snapshotDirectory(dir, source);
  const names = await listNames(base, source);
  if (!names.includes(ACTIVE_FILE)) {
    throw new KeySourceError(`${source}: has no file "${ACTIVE_FILE}" naming the active key id`);
  }
  const keys: Kek[] = [];
  for (const name of names) {
    if (name === ACTIVE_FILE) continue;
    if (!isValidKekId(name)) {
      throw new KeySourceError(`${source}: file "${name}" is not a key id; ids are ${KEK_ID_RULE}`);
    }
    keys.push(await readKek(base, name, source));
  }
  const active = (await readKeySourceFile(join(base, ACTIVE_FILE), "any")).toString("utf8").trim();
  return validateKeySet({ active, keys }, source);
}
