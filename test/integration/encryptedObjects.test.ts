/**
 * Acceptance for the encryption pipeline against real S3 (radosgw verifies every SigV4 signature, so the
 * proxy's re-signing is checked for real) with real clients, the proxy running as `s3proxy serve` in its
 * default (encrypting) mode with a key file and its own credentials:
 * - AWS CLI v2 (UNSIGNED-PAYLOAD + Content-MD5, Expect: 100-continue) and v1 (aws-chunked bodies with CRC32
 *   trailers, which radosgw cannot take: the proxy decodes them) copy files of edge sizes up and down
 *   byte-identically;
 * - the same objects read directly from radosgw (no proxy) are ciphertext: a canary string in every file
 *   appears nowhere in the stored body or metadata.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ciphertextLength } from "../../src/crypto/index.ts";
import { CANARY, SIZES, plaintext, startEncryptingProxy } from "../helpers/encryptedRig.ts";
import { proxiedAwsEnv } from "../helpers/proxiedAwsEnv.ts";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import { explainCommand as explain } from "../helpers/runCommand.ts";
import { cleanClientEnv, runAws, type AwsResult } from "../rig/clientEnv.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
let proxy: ProxyProcess;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-enc-"));
  proxy = await startEncryptingProxy(rig, work);
});
after(async () => {
  await proxy.stop();
  await rm(work, { recursive: true, force: true });
});

const directEnv = (): NodeJS.ProcessEnv =>
  cleanClientEnv({
    AWS_ACCESS_KEY_ID: rig.accessKeyId,
    AWS_SECRET_ACCESS_KEY: rig.secretAccessKey,
    AWS_DEFAULT_REGION: rig.region,
    AWS_CA_BUNDLE: rig.caFile,
  });

for (const cli of ["v1", "v2"] as const) {
  void describe(`AWS CLI ${cli} through the encrypting proxy`, () => {
    const bucket = uniqueBucket(`enc-${cli}`);
    const viaProxy = (args: string[]): Promise<AwsResult> =>
      runAws(args, { env: proxiedAwsEnv(rig, proxy), cli });
    const direct = (args: string[]): Promise<AwsResult> =>
      runAws(["--endpoint-url", rig.httpsEndpoint, ...args], { env: directEnv(), cli: "v2" });

    it("copies 0 B .. 7 MiB up and down byte-identically, and radosgw stores only ciphertext", async () => {
      const mb = await viaProxy(["s3", "mb", `s3://${bucket}`]);
      assert.equal(mb.code, 0, explain(mb));
      for (const size of SIZES) {
        const body = plaintext(size);
        const src = join(work, `${cli}-${size}.src`);
        const dst = join(work, `${cli}-${size}.dst`);
        const raw = join(work, `${cli}-${size}.raw`);
        const key = `dir/obj-${size} ✓.bin`;
        await writeFile(src, body);

        const up = await viaProxy(["s3", "cp", src, `s3://${bucket}/${key}`]);
        assert.equal(up.code, 0, `upload ${size} B: ${explain(up)}`);
        const down = await viaProxy(["s3", "cp", `s3://${bucket}/${key}`, dst]);
        assert.equal(down.code, 0, `download ${size} B: ${explain(down)}`);
        assert.ok((await readFile(dst)).equals(body), `${size} B: downloaded bytes differ`);

        const head = await direct(["s3api", "head-object", "--bucket", bucket, "--key", key]);
        assert.equal(head.code, 0, explain(head));
        const meta = JSON.parse(head.stdout) as { ContentLength: number; Metadata?: Record<string, string> };
        assert.equal(meta.ContentLength, ciphertextLength(size, 16), `${size} B: stored length`);
        assert.ok(meta.Metadata?.["s3proxy-hdr"], `${size} B: no envelope metadata: ${head.stdout}`);
        assert.ok(!head.stdout.includes(CANARY), "canary in stored metadata");
        const get = await direct(["s3api", "get-object", "--bucket", bucket, "--key", key, raw]);
        assert.equal(get.code, 0, explain(get));
        const stored = await readFile(raw);
        assert.equal(stored.length, ciphertextLength(size, 16));
        assert.equal(stored.indexOf(CANARY), -1, `${size} B: plaintext canary stored in radosgw`);
        // No run of the plaintext either (long enough not to occur in ciphertext by chance).
        if (size >= 64) assert.equal(stored.indexOf(body.subarray(0, 64)), -1);
      }
      if (cli === "v1") {
        // CLI v1 really sent aws-chunked bodies with CRC trailers, which the proxy decoded and verified.
        assert.ok(
          proxy.logs.some((l) => l.includes('"framing":"aws-chunked"') && l.includes('"checksum":"CRC')),
          "no aws-chunked upload with a CRC trailer seen from CLI v1",
        );
      }
    });
  });
}
