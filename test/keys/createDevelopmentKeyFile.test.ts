/** The development key of `npm start`: created once, owner-only, exclusive, and loudly reported. */
import assert from "node:assert/strict";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createDevelopmentKeyFile } from "../../src/keys/createDevelopmentKeyFile.ts";
import { loadLocalKeyProvider } from "../../src/keys/loadLocalKeyProvider.ts";
import { seededRandom, tempDir } from "./helpers.ts";

const now = new Date("2025-06-14T12:00:00Z");

void describe("createDevelopmentKeyFile", () => {
  void it("creates a 0600 key file in a new 0700 directory, with a dated dev- id", async () => {
    const dir = join(await tempDir(), "state");
    const path = join(dir, "keys.json");
    const result = await createDevelopmentKeyFile(path, { now, randomBytes: seededRandom("dev") });
    assert.equal(result.created, true);
    assert.ok(result.created);
    assert.match(result.kekId, /^dev-20250614-[0-9a-f]{8}$/);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(dir), ["keys.json"]);
    const provider = await loadLocalKeyProvider({ kind: "file", path });
    assert.equal(provider.activeKekId(), result.kekId);
  });

  void it("is deterministic given its randomness and clock", async () => {
    const dir = await tempDir();
    const make = (name: string) =>
      createDevelopmentKeyFile(join(dir, name), { now, randomBytes: seededRandom("same") });
    await make("a.json");
    await make("b.json");
    assert.equal(await readFile(join(dir, "a.json"), "utf8"), await readFile(join(dir, "b.json"), "utf8"));
  });

  void it("never touches an existing file", async () => {
    const path = join(await tempDir(), "keys.json");
    await writeFile(path, "not even a key file");
    assert.deepEqual(await createDevelopmentKeyFile(path), { created: false, path });
    assert.equal(await readFile(path, "utf8"), "not even a key file");
  });

  void it("creates exactly one key when started twice at once", async () => {
    const dir = await tempDir();
    const path = join(dir, "keys.json");
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        createDevelopmentKeyFile(path, { randomBytes: seededRandom(`race-${i}`) }),
      ),
    );
    const created = results.filter((r) => r.created);
    assert.equal(created.length, 1);
    assert.equal((await loadLocalKeyProvider({ kind: "file", path })).activeKekId(), created[0]?.kekId);
    assert.deepEqual(await readdir(dir), ["keys.json"]);
  });

  void it("refuses a random source that yields zeros, and leaves nothing behind", async () => {
    const dir = await tempDir();
    await assert.rejects(
      createDevelopmentKeyFile(join(dir, "keys.json"), { randomBytes: (n) => new Uint8Array(n) }),
      /all zeros/,
    );
    assert.deepEqual(await readdir(dir), []);
  });
});
