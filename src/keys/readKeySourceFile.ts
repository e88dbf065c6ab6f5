/**
 * Reads one file of key material the way ssh reads a private key: it must be a regular file (symlinks are
 * followed, so a Kubernetes Secret's `key -> ..data/key` works), small, and not accessible to others. The mode
 * is checked on the opened descriptor, so the file checked is the file read.
 *
 * Policy (docs/KEYS.md "Permissions"): a key file must have no group or other bits (0600/0400). Files in a
 * Secret directory may also be group-readable (0440), because the kubelet adds group read for the pod's
 * fsGroup; "other" bits are refused everywhere, and a Secret mounted with the default 0644 is refused with the
 * `defaultMode: 0400` fix. Whether a file is "a Kubernetes Secret" is never guessed from its path or links.
 */
import { constants, promises as fs } from "node:fs";
import { KeySourceError } from "./errors.ts";

/** Far more than thousands of keys need; stops a path to a huge file from being read into memory. */
export const MAX_KEY_SOURCE_BYTES = 1024 * 1024;

export type ModeRule = "owner-only" | "owner-or-group-read" | "any";

const FORBIDDEN_BITS: Readonly<Record<ModeRule, number>> = {
  "owner-only": 0o077,
  "owner-or-group-read": 0o037,
  any: 0,
};

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}

/** Why `mode` is too open under `rule`, with the fix, or undefined. */
export function modeProblem(mode: number, rule: ModeRule, path: string): string | undefined {
  if ((mode & FORBIDDEN_BITS[rule]) === 0) return undefined;
  if (rule === "owner-only") {
    return `${path} has mode ${octal(mode)}: a key file must not be accessible by group or others (chmod 600 ${path})`;
  }
  return (
    `${path} has mode ${octal(mode)}: key files must not be accessible by others or writable by the group ` +
    "(mount the Secret with defaultMode: 0400, or 0440 with an fsGroup)"
  );
}

function describeErrno(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "does not exist";
  if (code === "EACCES" || code === "EPERM") return "is not readable by this user";
  if (code === "EISDIR") return "is a directory";
  return `cannot be read (${code ?? "unknown error"})`;
}

/** The bytes of `path`, after the checks above; errors are KeySourceErrors naming `path`. */
export async function readKeySourceFile(path: string, rule: ModeRule): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new KeySourceError(`${path} ${describeErrno(err)}`, { cause: err });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new KeySourceError(`${path} is not a regular file`);
    const problem = modeProblem(stat.mode, rule, path);
    if (problem !== undefined) throw new KeySourceError(problem);
    if (stat.size > MAX_KEY_SOURCE_BYTES) {
      throw new KeySourceError(`${path} is ${stat.size} bytes, more than a key file can be`);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
