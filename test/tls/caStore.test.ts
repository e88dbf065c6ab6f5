import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, stat, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import { after, describe, it } from "node:test";
import { CA_CERT_FILE, CA_KEY_FILE, loadOrCreateCa } from "../../src/tls/caStore.ts";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "s3proxy-ca-"));
  dirs.push(d);
  return d;
}
after(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe("loadOrCreateCa", () => {
  it("creates a CA on first use with a 0600 key, then loads the same CA", async () => {
    const dir = join(await tempDir(), "ca");
    const first = await loadOrCreateCa(dir);
    assert.equal(first.created, true);
    assert.equal((await stat(join(dir, CA_KEY_FILE))).mode & 0o777, 0o600);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    const cert = new X509Certificate(first.certPem);
    assert.equal(cert.ca, true);
    assert.ok(new Date(cert.validFrom) < new Date(Date.now() - 24 * 3600 * 1000), "back-dated");
    const second = await loadOrCreateCa(dir);
    assert.equal(second.created, false);
    assert.equal(second.fingerprint, first.fingerprint);
    assert.equal(second.keyModeWarning, undefined);
  });

  it("two concurrent first runs end with one CA", async () => {
    const dir = join(await tempDir(), "ca");
    const [a, b] = await Promise.all([loadOrCreateCa(dir), loadOrCreateCa(dir)]);
    assert.equal(a.fingerprint, b.fingerprint);
    assert.deepEqual((await readdir(dir)).sort(), [CA_KEY_FILE, CA_CERT_FILE].sort());
  });

  it("refuses a half-present CA and warns about a readable key", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, CA_CERT_FILE), "x");
    await assert.rejects(loadOrCreateCa(dir), /holds only ca\.pem/);
    const dir2 = join(await tempDir(), "ca");
    await loadOrCreateCa(dir2);
    await chmod(join(dir2, CA_KEY_FILE), 0o644);
    assert.match((await loadOrCreateCa(dir2)).keyModeWarning ?? "", /should be 600/);
  });
});
