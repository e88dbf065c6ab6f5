/** --legacy-kek-file: the text forms of the Go proxy's KEK, and the same file checks as every key file. */
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isKeyProviderError } from "../../src/keys/index.ts";
import { loadLegacyKek, parseLegacyKek } from "../../src/legacy/index.ts";
import { FIXTURE_KEK } from "./constellationVectors.ts";

describe("parseLegacyKek", () => {
  it("takes 64 hex digits or canonical base64, surrounding whitespace ignored", () => {
    for (const text of [
      FIXTURE_KEK.toString("hex"),
      FIXTURE_KEK.toString("hex").toUpperCase(),
      `  ${FIXTURE_KEK.toString("base64")}\n`,
    ]) {
      const parsed = parseLegacyKek(text);
      assert.ok("kek" in parsed, text);
      assert.ok(parsed.kek.equals(FIXTURE_KEK));
    }
  });

  it("refuses other lengths, non-canonical base64, raw bytes and the all-zero key, naming no key bytes", () => {
    const hex = FIXTURE_KEK.toString("hex");
    for (const text of [
      hex.slice(2),
      `${hex}00`,
      "",
      FIXTURE_KEK.toString("base64").replace("=", ""),
      "x".repeat(32),
    ]) {
      const parsed = parseLegacyKek(text);
      assert.ok("problem" in parsed, text);
      assert.ok(!parsed.problem.includes(hex.slice(0, 8)));
    }
    const zero = parseLegacyKek("00".repeat(32));
    assert.ok("problem" in zero);
    assert.match(zero.problem, /--legacy-allow-zero-kek/);
  });
});

describe("loadLegacyKek", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "s3proxy-legacy-kek-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a 0600 file", async () => {
    const path = join(dir, "ok.hex");
    await writeFile(path, `${FIXTURE_KEK.toString("hex")}\n`, { mode: 0o600 });
    assert.ok((await loadLegacyKek(path)).equals(FIXTURE_KEK));
  });

  it("refuses a group/other-readable file and a malformed one, with the path and without the bytes", async () => {
    const open = join(dir, "open.hex");
    await writeFile(open, FIXTURE_KEK.toString("hex"), { mode: 0o600 });
    await chmod(open, 0o644);
    await assert.rejects(
      loadLegacyKek(open),
      (e) => isKeyProviderError(e, "KeySourceInvalid") && /chmod 600/.test(e.message),
    );
    const bad = join(dir, "bad.hex");
    await writeFile(bad, "not a key", { mode: 0o600 });
    await assert.rejects(
      loadLegacyKek(bad),
      (e) =>
        isKeyProviderError(e, "KeySourceInvalid") &&
        e.message.includes(bad) &&
        !e.message.includes("not a key"),
    );
    await assert.rejects(loadLegacyKek(join(dir, "missing")), (e) =>
      isKeyProviderError(e, "KeySourceInvalid"),
    );
  });
});
