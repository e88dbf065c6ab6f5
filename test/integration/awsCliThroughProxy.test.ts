/**
 * Acceptance for the proxy core against real S3 (radosgw, which verifies every SigV4 signature) with real
 * clients, the proxy running as its own process exactly as `s3proxy serve` runs:
 * - AWS CLI v1 and v2 with HTTPS_PROXY and AWS_CA_BUNDLE=<proxy ca.pem>: `s3 mb/cp/ls/rm` work, which proves the
 *   CLI accepted leaves from our CA (it trusts nothing else) and that requests reached radosgw intact;
 * - curl with SigV4 connecting straight to the transparent listener with the S3 name as SNI.
 * The proxy here runs the pass-through step; encryption is a later pipeline step.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanClientEnv, runAws, type AwsResult } from "../rig/clientEnv.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";
import { proxiedAwsEnv } from "../helpers/proxiedAwsEnv.ts";
import { startProxyProcess, type ProxyProcess } from "../helpers/proxyProcess.ts";
import { explainCommand as explain } from "../helpers/runCommand.ts";

const rig = rigFromEnv();
let proxy: ProxyProcess;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-cli-"));
  proxy = await startProxyProcess([
    "--passthrough",
    "--transparent-listen",
    "127.0.0.1:0",
    "--upstream-endpoint",
    rig.httpsEndpoint,
    "--upstream-ca",
    rig.caFile,
  ]);
});
after(async () => {
  await proxy.stop();
  await rm(work, { recursive: true, force: true });
});

function proxiedEnv(cli: "v1" | "v2"): NodeJS.ProcessEnv {
  return proxiedAwsEnv(
    rig,
    proxy,
    // CLI v1 (botocore 1.43) sends aws-chunked bodies with CRC trailers that radosgw cannot take; decoding them
    // is the S3 pipeline's job (a later step), so the pass-through core is exercised with plain bodies here.
    cli === "v1" ? { AWS_REQUEST_CHECKSUM_CALCULATION: "when_required" } : {},
  );
}

for (const cli of ["v1", "v2"] as const) {
  void describe(`AWS CLI ${cli} through the forward proxy`, () => {
    const bucket = uniqueBucket(`cli-${cli}`);
    const aws = (args: string[]): Promise<AwsResult> => runAws(args, { env: proxiedEnv(cli), cli });

    it("mb, cp up and down, ls and rm work and bytes round-trip", async () => {
      const mb = await aws(["s3", "mb", `s3://${bucket}`]);
      assert.equal(mb.code, 0, explain(mb));
      const body = randomBytes(3 * 1024 * 1024 + 17);
      const src = join(work, `${cli}-src.bin`);
      const dst = join(work, `${cli}-dst.bin`);
      await writeFile(src, body);
      const up = await aws(["s3", "cp", src, `s3://${bucket}/dir/obj ✓.bin`]);
      assert.equal(up.code, 0, explain(up));
      const ls = await aws(["s3", "ls", `s3://${bucket}/dir/`]);
      assert.equal(ls.code, 0, explain(ls));
      assert.match(ls.stdout, new RegExp(`${body.length}\\s+obj ✓\\.bin`));
      const down = await aws(["s3", "cp", `s3://${bucket}/dir/obj ✓.bin`, dst]);
      assert.equal(down.code, 0, explain(down));
      assert.ok((await readFile(dst)).equals(body), "downloaded bytes differ");
      const rmObj = await aws(["s3", "rm", `s3://${bucket}/dir/obj ✓.bin`]);
      assert.equal(rmObj.code, 0, explain(rmObj));
      const rb = await aws(["s3", "rb", `s3://${bucket}`]);
      assert.equal(rb.code, 0, explain(rb));
      // The requests were intercepted (not tunnelled): the proxy logged them under the S3 virtual host.
      assert.ok(
        proxy.logs.some((l) => l.includes(`"host":"${bucket}.s3.`) && l.includes('"msg":"request"')),
        "the proxy did not log the CLI's requests",
      );
    });
  });
}

function curl(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("curl", ["--silent", "--show-error", ...args], {
      env: cleanClientEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr }));
  });
}

void describe("transparent listener with a real SigV4 client", () => {
  it("curl --aws-sigv4 with SNI=<bucket>.s3.us-east-1.amazonaws.com puts and gets through the proxy", async () => {
    const bucket = uniqueBucket("transparent");
    const host = `${bucket}.s3.us-east-1.amazonaws.com`;
    const common = [
      "--aws-sigv4",
      "aws:amz:us-east-1:s3",
      "--user",
      `${rig.accessKeyId}:${rig.secretAccessKey}`,
      "-H",
      "x-amz-content-sha256: UNSIGNED-PAYLOAD",
      "--cacert",
      proxy.caFile,
      // Connect to the transparent listener instead of resolving the name: what an iptables REDIRECT does.
      "--connect-to",
      `${host}:443:127.0.0.1:${proxy.transparentPort ?? 0}`,
      "--fail-with-body",
    ];
    const mb = await curl([...common, "-X", "PUT", `https://${host}/`]);
    assert.equal(mb.code, 0, mb.stderr + mb.stdout.toString());
    const file = join(work, "transparent.bin");
    const body = randomBytes(256 * 1024 + 5);
    await writeFile(file, body);
    const put = await curl([...common, "-T", file, `https://${host}/t/key.bin`]);
    assert.equal(put.code, 0, put.stderr + put.stdout.toString());
    const get = await curl([...common, `https://${host}/t/key.bin`]);
    assert.equal(get.code, 0, get.stderr);
    assert.ok(get.stdout.equals(body), "GET through the transparent listener returned different bytes");
    // And the signature really is checked end to end: a wrong secret is refused by radosgw.
    const bad = await curl([
      ...common.map((a) => (a.startsWith(`${rig.accessKeyId}:`) ? `${rig.accessKeyId}:wrong-secret` : a)),
      `https://${host}/t/key.bin`,
    ]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stdout.toString(), /SignatureDoesNotMatch/);
  });
});
