/** Loading a key file: ssh-like permission checks on the opened file, and errors that say which file and why. */
import assert from "node:assert/strict";
import { mkdir, symlink, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadKeyFile } from "../../src/keys/loadKeyFile.ts";
import { MAX_KEY_SOURCE_BYTES } from "../../src/keys/readKeySourceFile.ts";
import { keyBytes, sourceError, tempDir, testKeySet, writeKeyFile, writeWithMode } from "./helpers.ts";

const set = testKeySet(["file-a", "file-b"], "file-b");
const secrets = keyBytes(set);

void describe("loadKeyFile", () => {
  for (const mode of [0o600, 0o400]) {
    void it(`loads a file with mode ${mode.toString(8)}`, async () => {
      const path = join(await tempDir(), "keys.json");
      await writeKeyFile(path, set, mode);
      const loaded = await loadKeyFile(path);
      assert.equal(loaded.active, "file-b");
      assert.deepEqual(keyBytes(loaded), secrets);
    });
  }

  for (const mode of [0o644, 0o640, 0o604, 0o660, 0o610, 0o601, 0o666]) {
    const shown = `0${mode.toString(8)}`;
    void it(`refuses mode ${shown} with the chmod fix`, async () => {
      const path = join(await tempDir(), "keys.json");
      await writeKeyFile(path, set, mode);
      await sourceError(
        loadKeyFile(path),
        [
          new RegExp(
            `^${path} has mode ${shown}: a key file must not be accessible by group or others \\(chmod 600 ${path}\\)$`,
          ),
        ],
        secrets,
      );
    });
  }

  void it("follows a symlink and checks the file it points to", async () => {
    const dir = await tempDir();
    await writeKeyFile(join(dir, "real.json"), set, 0o600);
    await symlink("real.json", join(dir, "link.json"));
    assert.equal((await loadKeyFile(join(dir, "link.json"))).active, "file-b");
    await writeKeyFile(join(dir, "open.json"), set, 0o644);
    await symlink("open.json", join(dir, "open-link.json"));
    await sourceError(loadKeyFile(join(dir, "open-link.json")), [/open-link\.json has mode 0644/], secrets);
  });

  void it("says a file is missing", async () => {
    const path = join(await tempDir(), "nope.json");
    await sourceError(loadKeyFile(path), [new RegExp(`^${path} does not exist$`)]);
  });

  void it("refuses a directory and a file too large to be a key file", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "d.json"));
    await sourceError(loadKeyFile(join(dir, "d.json")), [/d\.json is not a regular file/]);
    const big = join(dir, "big.json");
    await writeWithMode(big, "", 0o600);
    await truncate(big, MAX_KEY_SOURCE_BYTES + 1);
    await sourceError(loadKeyFile(big), [/big\.json is 1048577 bytes, more than a key file can be/]);
  });

  void it("names the file when its content is malformed, without the key bytes", async () => {
    const path = join(await tempDir(), "keys.json");
    const k = secrets[0]!.toString("base64");
    await writeFile(path, `{"version":1,"active":"a","keys":[{"id":"a","key":"${k}"}],}`, { mode: 0o600 });
    await sourceError(loadKeyFile(path), [new RegExp(`^key file ${path}: not valid JSON`)], secrets);
    await writeFile(path, `{"version":1,"active":"a","keys":[{"id":"a","key":"${k.slice(1)}"}]}`);
    await sourceError(
      loadKeyFile(path),
      [new RegExp(`^key file ${path}: keys\\[0\\] \\(id "a"\\)`)],
      secrets,
    );
  });
});
