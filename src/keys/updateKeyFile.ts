/**
 * Changes a key file in place without ever leaving a partial or more readable file behind: the new content is
 * written to `<file>.tmp` (created exclusively, with the old file's owner-only mode), flushed, and renamed over
 * the file. The exclusive create is also the lock: a second concurrent change fails instead of silently
 * undoing the first. A crash leaves `<file>.tmp` behind, and the next change says to remove it.
 */
import { constants, promises as fs } from "node:fs";
import { dirname } from "node:path";
import { KeySourceError } from "./errors.ts";
import { serializeKeyFile } from "./keyFileFormat.ts";
import type { KeySet } from "./keySet.ts";
import { loadKeyFile } from "./loadKeyFile.ts";

async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // Not every platform can fsync a directory; the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}

/** Applies `change` to the key set in `path` and stores the result atomically; returns the new set. */
export async function updateKeyFile(path: string, change: (current: KeySet) => KeySet): Promise<KeySet> {
  const source = `key file ${path}`;
  let link: Awaited<ReturnType<typeof fs.lstat>>;
  try {
    link = await fs.lstat(path);
  } catch (err) {
    throw new KeySourceError(`${source} does not exist or cannot be read`, { cause: err });
  }
  if (link.isSymbolicLink()) {
    throw new KeySourceError(
      `${source} is a symbolic link: change the file it points to (a mounted Secret is changed with kubectl)`,
    );
  }
  const tmp = `${path}.tmp`;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") {
      throw new KeySourceError(
        `${tmp} exists: another key change is running, or one was interrupted (then remove ${tmp})`,
        { cause: err },
      );
    }
    throw new KeySourceError(`cannot create ${tmp}`, { cause: err });
  }
  let renamed = false;
  try {
    const next = change(await loadKeyFile(path));
    await handle.writeFile(serializeKeyFile(next, source));
    // loadKeyFile refused group/other bits, so this keeps 0600 (or 0400) whatever the umask did.
    await handle.chmod(link.mode & 0o700);
    await handle.sync();
    await handle.close();
    await fs.rename(tmp, path);
    renamed = true;
    await syncDirectory(dirname(path));
    return next;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await fs.unlink(tmp).catch(() => undefined);
    }
  }
}
