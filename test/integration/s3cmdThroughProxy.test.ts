/**
 * Acceptance (issue [3]): s3cmd 2.3 (Debian) through the encrypting proxy against radosgw. s3cmd ignores
 * HTTPS_PROXY, so a private config names the proxy (proxy_host/proxy_port) and its CA (ca_certs_file), with
 * virtual-hosted `%(bucket)s.s3.amazonaws.com` and SigV4; `--multipart-chunk-size-mb=15` keeps 7 MiB single-part.
 *
 * After every single-part `put` s3cmd compares its MD5 of the file with the ETag of the PutObject answer and,
 * unless the ETag has a `-` (multipart) or the object is SSE-KMS, retries five times and exits 2 ("MD5 Sums
 * don't match!"). s3cmd sends no Content-MD5, so the proxy cannot record the plaintext MD5 before the body and
 * answers with the stored ETag marked as not an MD5 (`"<hex>-1"`, src/pipeline/clientEtag.ts); s3cmd then skips
 * the comparison. Downloads are checked by s3cmd against the MD5 in its own x-amz-meta-s3cmd-attrs, which the
 * proxy keeps. Every run must be free of warnings.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { SIZES, assertStoredCiphertext, plaintext } from "../helpers/encryptedRig.ts";
import { explainCommand as explain, type CommandResult } from "../helpers/runCommand.ts";
import { runS3cmd, writeS3cmdConfig } from "../helpers/s3cmdClient.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const enc = withEncryptingProxy(rig, "s3cmd");
let config: string;

before(async () => {
  await enc.ready;
  config = await writeS3cmdConfig(enc.work, rig, enc.proxy);
});

const s3cmd = (args: string[]): Promise<CommandResult> =>
  runS3cmd(config, ["--multipart-chunk-size-mb=15", ...args]);

void describe("s3cmd through the encrypting proxy", () => {
  it("puts and gets 0 B .. 7 MiB byte-identically without warnings, radosgw stores ciphertext", async () => {
    const bucket = uniqueBucket("enc-s3cmd");
    const mb = await s3cmd(["mb", `s3://${bucket}`]);
    assert.equal(mb.code, 0, explain(mb));
    for (const size of SIZES) {
      const body = plaintext(size);
      const src = join(enc.work, `${size}.src`);
      const dst = join(enc.work, `${size}.dst`);
      const key = `dir/obj-${size} ✓.bin`;
      await writeFile(src, body);
      const up = await s3cmd(["put", src, `s3://${bucket}/${key}`]);
      assert.equal(up.code, 0, `upload ${size} B: ${explain(up)}`);
      assert.doesNotMatch(up.stderr, /WARNING|ERROR/, `upload ${size} B: ${explain(up)}`);
      const down = await s3cmd(["get", "--force", `s3://${bucket}/${key}`, dst]);
      assert.equal(down.code, 0, `download ${size} B: ${explain(down)}`);
      assert.doesNotMatch(down.stderr, /WARNING|ERROR/, `download ${size} B: ${explain(down)}`);
      assert.ok((await readFile(dst)).equals(body), `${size} B: downloaded bytes differ`);
      await assertStoredCiphertext(enc.direct, bucket, key, body);
    }
  });
});
