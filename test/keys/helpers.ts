/**
 * Fixtures for the key tests: temporary directories removed after the file's tests, deterministic KEKs,
 * key files written with an exact mode, a Kubernetes-style Secret volume (`..data` switched atomically like
 * the kubelet does), and an assertion that no key bytes leak into an error.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { chmod, mkdir, mkdtemp, readlink, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { after } from "node:test";
import { generateKek } from "../../src/keys/generateKek.ts";
import { serializeKeyFile } from "../../src/keys/keyFileFormat.ts";
import type { Kek, KeySet } from "../../src/keys/keySet.ts";
import { seededRandom } from "../crypto/helpers.ts";

export { seededRandom };

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "s3proxy-keys-"));
  dirs.push(dir);
  return dir;
}

/** A deterministic KEK: the same id and seed always give the same key. */
export function testKek(id: string, seed = id): Kek {
  return generateKek(id, seededRandom(`kek/${seed}`));
}

export function testKeySet(ids: readonly string[], active = ids[0] ?? "", seed = ""): KeySet {
  return { active, keys: ids.map((id) => testKek(id, `${seed}${id}`)) };
}

/** The raw bytes of every key in `set` (for leak checks). */
export function keyBytes(set: KeySet): Buffer[] {
  return set.keys.map(({ key }) => key.export());
}

/** Writes `text` to `path` with exactly `mode` (whatever the umask). */
export async function writeWithMode(path: string, text: string | Buffer, mode: number): Promise<void> {
  await writeFile(path, text, { mode });
  await chmod(path, mode);
}

export async function writeKeyFile(path: string, set: KeySet, mode = 0o600): Promise<void> {
  await writeWithMode(path, serializeKeyFile(set), mode);
}

/**
 * A Secret volume as the kubelet lays it out: files in `..<timestamp>/`, `..data` -> that directory, and one
 * visible symlink `<name> -> ..data/<name>` per entry. `update` writes a new timestamp directory and switches
 * `..data` with a rename, as the kubelet's atomic writer does.
 */
export class SecretVolume {
  private constructor(readonly dir: string) {}

  static async create(files: Readonly<Record<string, string | Buffer>>, mode = 0o400): Promise<SecretVolume> {
    const volume = new SecretVolume(await tempDir());
    await volume.update(files, mode);
    return volume;
  }

  async update(files: Readonly<Record<string, string | Buffer>>, mode = 0o400): Promise<void> {
    const stamp = `..${new Date().toISOString().replaceAll(":", "_")}.${randomUUID().slice(0, 8)}`;
    await mkdir(join(this.dir, stamp), { mode: 0o755 });
    for (const [name, content] of Object.entries(files)) {
      await writeWithMode(join(this.dir, stamp, name), content, mode);
    }
    const tmpLink = join(this.dir, "..data_tmp");
    await symlink(stamp, tmpLink);
    await rename(tmpLink, join(this.dir, "..data"));
    for (const name of Object.keys(files)) {
      const visible = join(this.dir, name);
      const target = await readlink(visible).catch(() => undefined);
      if (target === undefined) await symlink(join("..data", name), visible);
    }
  }
}

/** The file contents of a Secret volume holding `set`: one base64 file per key plus `active`. */
export function secretFiles(set: KeySet, newline = "\n"): Record<string, string> {
  const files: Record<string, string> = { active: `${set.active}${newline}` };
  for (const { id, key } of set.keys) files[id] = `${key.export().toString("base64")}${newline}`;
  return files;
}

/** Every text a caught error can put into a log: message, stack, causes, util.inspect. */
export function errorTexts(err: unknown): string {
  const parts: string[] = [inspect(err, { depth: 8 })];
  for (let e: unknown = err; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? "");
  return parts.join("\n");
}

/** Fails if `text` contains any of `secrets` as hex, base64 or base64url. */
export function assertNoSecrets(text: string, secrets: readonly Buffer[], what = "error"): void {
  for (const secret of secrets) {
    for (const encoding of ["hex", "base64", "base64url"] as const) {
      const encoded = secret.toString(encoding).replace(/=+$/, "");
      assert.ok(!text.includes(encoded), `${what} contains key bytes (${encoding})`);
      if (encoding === "hex") assert.ok(!text.includes(encoded.toUpperCase()), `${what} contains key bytes`);
    }
  }
  // Node prints Buffers as <Buffer 2c 61 39 …>: also look for the first bytes in that form.
  for (const secret of secrets) {
    const spaced = [...secret.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    assert.ok(!text.includes(spaced), `${what} contains key bytes (inspected Buffer)`);
  }
}

/** Asserts a KeySourceError whose message matches every pattern and holds none of `secrets`; returns it. */
export async function sourceError(
  work: Promise<unknown> | (() => unknown),
  patterns: readonly RegExp[],
  secrets: readonly Buffer[] = [],
): Promise<Error> {
  let caught: unknown;
  try {
    await (typeof work === "function" ? work() : work);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof Error, "expected a failure");
  assert.equal((caught as { code?: unknown }).code, "KeySourceInvalid", caught.message);
  for (const pattern of patterns) assert.match(caught.message, pattern);
  assertNoSecrets(errorTexts(caught), secrets);
  return caught;
}
