/**
 * The zero-configuration default of `npm start`: if the key file does not exist, create one with a single
 * random KEK (id `dev-<yyyymmdd>-<8 hex>`), owner-only. The CLI must warn loudly when `created` is true: this
 * key is the only way to read anything written with it, so it must be backed up, and a real deployment should
 * use a key it manages on purpose. The `dev-` prefix is stored in every object's KEK reference, so objects
 * written under a development key can be found later.
 *
 * The content is written to an exclusively created (O_EXCL) temporary file first and then hard-linked to the
 * final name, which fails if the name exists: two processes starting at once end with one key, and a reader
 * never sees a half-written file. An existing file is never touched (loading it checks it).
 */
import { constants, promises as fs } from "node:fs";
import { dirname } from "node:path";
import { defaultRandomBytes, type RandomBytes } from "../crypto/index.ts";
import { generateKek, newKekId } from "./generateKek.ts";
import { serializeKeyFile } from "./keyFileFormat.ts";

export const DEVELOPMENT_KEY_PREFIX = "dev";

export type DevelopmentKeyFile =
  | { readonly created: true; readonly path: string; readonly kekId: string }
  | { readonly created: false; readonly path: string };

export interface DevelopmentKeyOptions {
  /** Random draws, in order: 4 bytes of the id, then the 32-byte key. */
  randomBytes?: RandomBytes;
  now?: Date;
}

let tmpCounter = 0;

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

/** Creates the development key file at `path` unless something exists there; says which happened. */
export async function createDevelopmentKeyFile(
  path: string,
  options: DevelopmentKeyOptions = {},
): Promise<DevelopmentKeyFile> {
  if (await exists(path)) return { created: false, path };
  await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const randomBytes = options.randomBytes ?? defaultRandomBytes;
  const kekId = newKekId(DEVELOPMENT_KEY_PREFIX, options.now ?? new Date(), randomBytes);
  const text = serializeKeyFile({ active: kekId, keys: [generateKek(kekId, randomBytes)] });
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  const handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    try {
      await handle.writeFile(text);
      await handle.chmod(0o600); // exact, whatever the umask
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return { created: false, path };
    throw err;
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
  return { created: true, path, kekId };
}
