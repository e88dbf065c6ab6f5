/**
 * Keys from a Secret directory: the kubelet's layout (visible symlinks through `..data`), its permission
 * modes, a consistent snapshot across an update, and clear errors per file.
 */
import assert from "node:assert/strict";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadKeyDirectory } from "../../src/keys/loadKeyDirectory.ts";
import {
  keyBytes,
  SecretVolume,
  secretFiles,
  sourceError,
  tempDir,
  testKeySet,
  writeWithMode,
} from "./helpers.ts";

const set = testKeySet(["k8s-2024", "k8s-2025"], "k8s-2025");
const secrets = keyBytes(set);

async function plainDirectory(
  files: Readonly<Record<string, string | Buffer>>,
  mode = 0o600,
): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(files)) await writeWithMode(join(dir, name), content, mode);
  return dir;
}

void describe("loadKeyDirectory", () => {
  void it("reads a Secret volume (symlinks through ..data, mode 0400), ids sorted", async () => {
    const volume = await SecretVolume.create(secretFiles(set));
    const loaded = await loadKeyDirectory(volume.dir);
    assert.equal(loaded.active, "k8s-2025");
    assert.deepEqual(
      loaded.keys.map((k) => k.id),
      ["k8s-2024", "k8s-2025"],
    );
    assert.deepEqual(keyBytes(loaded), secrets);
  });

  void it("accepts group read (0440, a pod with fsGroup) and values without a final newline", async () => {
    const volume = await SecretVolume.create(secretFiles(set, ""), 0o440);
    assert.equal((await loadKeyDirectory(volume.dir)).active, "k8s-2025");
  });

  void it("reads a plain directory of files (no ..data), skipping hidden names", async () => {
    const dir = await plainDirectory({ ...secretFiles(set), ".DS_Store": "junk" });
    assert.deepEqual(keyBytes(await loadKeyDirectory(dir)), secrets);
  });

  for (const mode of [0o644, 0o604, 0o460, 0o444]) {
    const shown = `0${mode.toString(8)}`;
    void it(`refuses key files with mode ${shown}, suggesting defaultMode: 0400`, async () => {
      const volume = await SecretVolume.create(secretFiles(set), mode);
      await sourceError(
        loadKeyDirectory(volume.dir),
        [new RegExp(`k8s-2024 has mode ${shown}`), /defaultMode: 0400/],
        secrets,
      );
    });
  }

  void it("reads one snapshot: ..data decides, not the visible names", async () => {
    const volume = await SecretVolume.create(secretFiles(set));
    const rotated = testKeySet(["k8s-2024", "k8s-2025", "k8s-2026"], "k8s-2026");
    await volume.update(secretFiles({ active: rotated.active, keys: [...set.keys, rotated.keys[2]!] }));
    // A stale visible file left behind must not be mixed into the new snapshot.
    await rm(join(volume.dir, "active"));
    await writeFile(join(volume.dir, "active"), "k8s-2024\n");
    const loaded = await loadKeyDirectory(volume.dir);
    assert.equal(loaded.active, "k8s-2026");
    assert.deepEqual(
      loaded.keys.map((k) => k.id),
      ["k8s-2024", "k8s-2025", "k8s-2026"],
    );
  });

  void it("says when the directory is missing or has no active file", async () => {
    const missing = join(await tempDir(), "nope");
    await sourceError(loadKeyDirectory(missing), [new RegExp(`^key directory ${missing} does not exist$`)]);
    const { active: _active, ...onlyKeys } = secretFiles(set);
    const dir = await plainDirectory(onlyKeys);
    await sourceError(loadKeyDirectory(dir), [/has no file "active" naming the active key id/], secrets);
  });

  void it("refuses an active id that names no key", async () => {
    const dir = await plainDirectory({ ...secretFiles(set), active: "k8s-2030\n" });
    await sourceError(loadKeyDirectory(dir), [/the active key "k8s-2030" is not one of its keys/], secrets);
  });

  void it("refuses a file name that is not a key id", async () => {
    const dir = await plainDirectory({ ...secretFiles(set), "prod key": "x" });
    await sourceError(loadKeyDirectory(dir), [/file "prod key" is not a key id/], secrets);
  });

  void it("refuses raw key bytes with a hint, and bad base64, naming the file", async () => {
    const raw = await plainDirectory({ ...secretFiles(set), "k8s-2025": secrets[1]! });
    await sourceError(
      loadKeyDirectory(raw),
      [/file "k8s-2025" does not hold the base64 of 32 bytes; it looks like 32 raw bytes/],
      secrets,
    );
    const short = await plainDirectory({
      ...secretFiles(set),
      "k8s-2025": secrets[1]!.toString("base64").slice(4),
    });
    await sourceError(
      loadKeyDirectory(short),
      [/file "k8s-2025" does not hold the base64 of 32 bytes$/],
      secrets,
    );
  });

  void it("refuses an all-zero key", async () => {
    const dir = await plainDirectory({ active: "zero", zero: Buffer.alloc(32).toString("base64") });
    await sourceError(loadKeyDirectory(dir), [/key "zero" is all zeros: refused/]);
  });

  void it("refuses a subdirectory or a dangling link where a key should be", async () => {
    const dir = await plainDirectory(secretFiles(set));
    await mkdir(join(dir, "k8s-2026"));
    await sourceError(loadKeyDirectory(dir), [/k8s-2026 is not a regular file/]);
    const dangling = await plainDirectory(secretFiles(set));
    await symlink("nowhere", join(dangling, "k8s-2026"));
    await sourceError(loadKeyDirectory(dangling), [/k8s-2026 does not exist/]);
  });
});
