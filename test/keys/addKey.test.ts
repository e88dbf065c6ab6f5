/** Rotation on a key file: pure set changes, atomic owner-only writes, the lock, and refusals that change nothing. */
import assert from "node:assert/strict";
import { createSecretKey } from "node:crypto";
import { readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { addKey, setActiveKey } from "../../src/keys/addKey.ts";
import { loadKeyFile } from "../../src/keys/loadKeyFile.ts";
import { withActiveKey, withKey } from "../../src/keys/withKey.ts";
import { keyBytes, sourceError, tempDir, testKek, testKeySet, writeKeyFile } from "./helpers.ts";

const set = testKeySet(["rot-1"], "rot-1");
const next = testKek("rot-2");

async function keyFile(mode = 0o600): Promise<string> {
  const path = join(await tempDir(), "keys.json");
  await writeKeyFile(path, set, mode);
  return path;
}

void describe("withKey / withActiveKey", () => {
  void it("append a key, active or not, without changing the input", () => {
    assert.equal(withKey(set, next, false).active, "rot-1");
    const rotated = withKey(set, next, true);
    assert.equal(rotated.active, "rot-2");
    assert.deepEqual(
      rotated.keys.map((k) => k.id),
      ["rot-1", "rot-2"],
    );
    assert.equal(set.keys.length, 1);
    assert.equal(withActiveKey(rotated, "rot-1").active, "rot-1");
  });

  void it("refuse a duplicate id, an all-zero key, the same key twice and an unknown active id", async () => {
    await sourceError(() => withKey(set, testKek("rot-1", "other"), true), [/already has a key "rot-1"/]);
    await sourceError(
      () => withKey(set, { id: "zero", key: createSecretKey(Buffer.alloc(32)) }, true),
      [/key "zero" is all zeros/],
    );
    await sourceError(
      () => withKey(set, { id: "copy", key: set.keys[0]!.key }, true),
      [/keys "rot-1" and "copy" are the same key/],
    );
    await sourceError(() => withActiveKey(set, "rot-9"), [/has no key "rot-9"/]);
  });
});

void describe("addKey / setActiveKey", () => {
  void it("rotate in two steps, keeping mode 0600 and leaving no temporary file", async () => {
    const path = await keyFile();
    const added = await addKey(path, next, false);
    assert.equal(added.active, "rot-1");
    assert.equal((await loadKeyFile(path)).active, "rot-1");
    assert.equal((await setActiveKey(path, "rot-2")).active, "rot-2");
    const loaded = await loadKeyFile(path);
    assert.equal(loaded.active, "rot-2");
    assert.deepEqual(keyBytes(loaded), [...keyBytes(set), next.key.export()]);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(path, "..")), ["keys.json"]);
  });

  void it("keep a 0400 file 0400", async () => {
    const path = await keyFile(0o400);
    await addKey(path, next, true);
    assert.equal((await stat(path)).mode & 0o777, 0o400);
  });

  void it("change nothing when the change is refused", async () => {
    const path = await keyFile();
    const before = await readFile(path, "utf8");
    await sourceError(addKey(path, testKek("rot-1", "again"), true), [/already has a key "rot-1"/]);
    await sourceError(setActiveKey(path, "rot-9"), [/has no key "rot-9"/]);
    assert.equal(await readFile(path, "utf8"), before);
    assert.deepEqual(await readdir(join(path, "..")), ["keys.json"]);
  });

  void it("refuse a file that is too open, a symlink, and a missing file", async () => {
    await sourceError(addKey(await keyFile(0o644), next, true), [/has mode 0644/], keyBytes(set));
    const path = await keyFile();
    const link = join(path, "..", "link.json");
    await symlink("keys.json", link);
    await sourceError(addKey(link, next, true), [/is a symbolic link/]);
    await sourceError(addKey(join(path, "..", "nope.json"), next, true), [/does not exist/]);
  });

  void it("refuse to run while another change holds <file>.tmp, and leave that file alone", async () => {
    const path = await keyFile();
    await writeFile(`${path}.tmp`, "in progress");
    await sourceError(addKey(path, next, true), [/keys\.json\.tmp exists: another key change is running/]);
    assert.equal(await readFile(`${path}.tmp`, "utf8"), "in progress");
    assert.equal((await loadKeyFile(path)).keys.length, 1);
  });

  void it("never lose one of two concurrent changes: the loser fails, the file stays valid", async () => {
    const path = await keyFile();
    const results = await Promise.allSettled([
      addKey(path, next, true),
      addKey(path, testKek("rot-3"), true),
    ]);
    const won = results.filter((r) => r.status === "fulfilled").length;
    assert.ok(won >= 1);
    for (const r of results)
      if (r.status === "rejected") assert.match(String(r.reason), /another key change is running/);
    const loaded = await loadKeyFile(path);
    assert.equal(loaded.keys.length, 1 + won);
    assert.deepEqual(await readdir(join(path, "..")), ["keys.json"]);
  });
});
