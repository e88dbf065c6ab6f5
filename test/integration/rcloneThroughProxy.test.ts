/**
 * Acceptance (issue [3]): rclone 1.60 (Debian) through the encrypting proxy against radosgw, with HTTPS_PROXY and
 * `--ca-cert <proxy ca>` (rclone fails if AWS_CA_BUNDLE is set, NOTES.md §1) and `--s3-upload-cutoff 64M` so the
 * 7 MiB file goes up in one PutObject:
 * - `copyto` up and down moves edge-size files byte-identically and the stored objects are ciphertext, with
 *   rclone's default checks: after every single-part transfer rclone compares the file's MD5 with the object's
 *   ETag. rclone sends Content-MD5, so the proxy records the sealed plaintext MD5 and answers with the ETag S3
 *   would give the plaintext (src/pipeline/clientEtag.ts); relaying radosgw's ETag (the ciphertext's MD5) made
 *   rclone report "corrupted on transfer: md5 hash differ" and delete the object.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SIZES, assertStoredCiphertext, plaintext } from "../helpers/encryptedRig.ts";
import { runRclone } from "../helpers/rcloneClient.ts";
import { explainCommand as explain, type CommandResult } from "../helpers/runCommand.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const enc = withEncryptingProxy(rig, "rclone");

const rclone = (args: string[]): Promise<CommandResult> =>
  runRclone(enc, ["--s3-upload-cutoff", "64M", ...args]);

void describe("rclone through the encrypting proxy", () => {
  it("copies 0 B .. 7 MiB up and down byte-identically, radosgw stores ciphertext", async () => {
    const bucket = uniqueBucket("enc-rclone");
    const mk = await rclone(["mkdir", `enc:${bucket}`]);
    assert.equal(mk.code, 0, explain(mk));
    for (const size of SIZES) {
      const body = plaintext(size);
      const src = join(enc.work, `${size}.src`);
      const dst = join(enc.work, `${size}.dst`);
      const key = `dir/obj-${size} ✓.bin`;
      await writeFile(src, body);
      const up = await rclone(["copyto", src, `enc:${bucket}/${key}`]);
      assert.equal(up.code, 0, `upload ${size} B: ${explain(up)}`);
      const down = await rclone(["copyto", `enc:${bucket}/${key}`, dst]);
      assert.equal(down.code, 0, `download ${size} B: ${explain(down)}`);
      assert.ok((await readFile(dst)).equals(body), `${size} B: downloaded bytes differ`);
      await assertStoredCiphertext(enc.direct, bucket, key, body);
    }
  });
});
