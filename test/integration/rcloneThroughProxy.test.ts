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
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  SIZES,
  assertStoredCiphertext,
  directClient,
  plaintext,
  startEncryptingProxy,
} from "../helpers/encryptedRig.ts";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import { cleanClientEnv } from "../rig/clientEnv.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
let proxy: ProxyProcess;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-rclone-"));
  proxy = await startEncryptingProxy(rig, work);
});
after(async () => {
  await proxy?.stop();
  await rm(work, { recursive: true, force: true });
});

interface Result {
  code: number;
  out: string;
  err: string;
}

function rclone(args: string[]): Promise<Result> {
  const env = cleanClientEnv({
    RCLONE_CONFIG: join(work, "rclone.conf"),
    RCLONE_CONFIG_ENC_TYPE: "s3",
    RCLONE_CONFIG_ENC_PROVIDER: "AWS",
    RCLONE_CONFIG_ENC_ACCESS_KEY_ID: rig.accessKeyId,
    RCLONE_CONFIG_ENC_SECRET_ACCESS_KEY: rig.secretAccessKey,
    RCLONE_CONFIG_ENC_REGION: rig.region,
    HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
  });
  const all = [
    "--ca-cert",
    proxy.caFile,
    "--s3-upload-cutoff",
    "64M",
    "--low-level-retries",
    "1",
    "--retries",
    "1",
    "-v",
  ];
  all.push(...args);
  return new Promise((resolve, reject) => {
    const child = spawn("rclone", all, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out, err });
    });
  });
}

const explain = (r: Result): string =>
  `exit ${r.code}\nstdout: ${r.out.slice(-1500)}\nstderr: ${r.err.slice(-3000)}`;

void describe("rclone through the encrypting proxy", () => {
  it("copies 0 B .. 7 MiB up and down byte-identically, radosgw stores ciphertext", async () => {
    const bucket = uniqueBucket("enc-rclone");
    await writeFile(join(work, "rclone.conf"), "");
    const mk = await rclone(["mkdir", `enc:${bucket}`]);
    assert.equal(mk.code, 0, explain(mk));
    const direct = await directClient(rig);
    try {
      for (const size of SIZES) {
        const body = plaintext(size);
        const src = join(work, `${size}.src`);
        const dst = join(work, `${size}.dst`);
        const key = `dir/obj-${size} ✓.bin`;
        await writeFile(src, body);
        const up = await rclone(["copyto", src, `enc:${bucket}/${key}`]);
        assert.equal(up.code, 0, `upload ${size} B: ${explain(up)}`);
        const down = await rclone(["copyto", `enc:${bucket}/${key}`, dst]);
        assert.equal(down.code, 0, `download ${size} B: ${explain(down)}`);
        assert.ok((await readFile(dst)).equals(body), `${size} B: downloaded bytes differ`);
        await assertStoredCiphertext(direct, bucket, key, body);
      }
    } finally {
      direct.destroy();
    }
  });
});
