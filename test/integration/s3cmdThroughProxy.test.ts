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
let config: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-s3cmd-"));
  proxy = await startEncryptingProxy(rig, work);
  config = join(work, "s3cfg");
  await writeFile(
    config,
    [
      "[default]",
      `access_key = ${rig.accessKeyId}`,
      `secret_key = ${rig.secretAccessKey}`,
      `bucket_location = ${rig.region}`,
      "host_base = s3.amazonaws.com",
      "host_bucket = %(bucket)s.s3.amazonaws.com",
      "use_https = True",
      "check_ssl_certificate = True",
      "proxy_host = 127.0.0.1",
      `proxy_port = ${proxy.port}`,
      `ca_certs_file = ${proxy.caFile}`,
      "signature_v2 = False",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
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

function s3cmd(args: string[]): Promise<Result> {
  const all = ["-c", config, "--multipart-chunk-size-mb=15", "--no-progress", ...args];
  return new Promise((resolve, reject) => {
    const child = spawn("s3cmd", all, { env: cleanClientEnv(), stdio: ["ignore", "pipe", "pipe"] });
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

void describe("s3cmd through the encrypting proxy", () => {
  it("puts and gets 0 B .. 7 MiB byte-identically without warnings, radosgw stores ciphertext", async () => {
    const bucket = uniqueBucket("enc-s3cmd");
    const mb = await s3cmd(["mb", `s3://${bucket}`]);
    assert.equal(mb.code, 0, explain(mb));
    const direct = await directClient(rig);
    try {
      for (const size of SIZES) {
        const body = plaintext(size);
        const src = join(work, `${size}.src`);
        const dst = join(work, `${size}.dst`);
        const key = `dir/obj-${size} ✓.bin`;
        await writeFile(src, body);
        const up = await s3cmd(["put", src, `s3://${bucket}/${key}`]);
        assert.equal(up.code, 0, `upload ${size} B: ${explain(up)}`);
        assert.doesNotMatch(up.err, /WARNING|ERROR/, `upload ${size} B: ${explain(up)}`);
        const down = await s3cmd(["get", "--force", `s3://${bucket}/${key}`, dst]);
        assert.equal(down.code, 0, `download ${size} B: ${explain(down)}`);
        assert.doesNotMatch(down.err, /WARNING|ERROR/, `download ${size} B: ${explain(down)}`);
        assert.ok((await readFile(dst)).equals(body), `${size} B: downloaded bytes differ`);
        await assertStoredCiphertext(direct, bucket, key, body);
      }
    } finally {
      direct.destroy();
    }
  });
});
