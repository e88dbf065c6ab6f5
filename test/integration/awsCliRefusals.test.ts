/**
 * Acceptance (issue [3]): operations the pipeline cannot protect are refused with a proper S3 XML error that real
 * clients report by code. AWS CLI v1 and v2 through the encrypting proxy against radosgw: `select-object-content`
 * (S3 Select would run SQL over ciphertext), `get-object-torrent` (object data the proxy cannot decrypt) and a
 * SELECT-type `restore-object` fail with the proxy's `NotImplemented` and its message, and nothing reached
 * radosgw (its objects are untouched); a plain `restore-object` is checked and forwarded (radosgw answers it).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startEncryptingProxy } from "../helpers/encryptedRig.ts";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import { cleanClientEnv, runAws, type AwsResult } from "../rig/clientEnv.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
let proxy: ProxyProcess;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-refusals-"));
  proxy = await startEncryptingProxy(rig, work);
});
after(async () => {
  await proxy?.stop();
  await rm(work, { recursive: true, force: true });
});

const explain = (r: AwsResult): string =>
  `exit ${r.code}\nstdout: ${r.stdout.slice(-1500)}\nstderr: ${r.stderr.slice(-3000)}`;

for (const cli of ["v1", "v2"] as const) {
  void describe(`AWS CLI ${cli}: refused operations are reported by code`, () => {
    const bucket = uniqueBucket(`refuse-${cli}`);
    const env = (): NodeJS.ProcessEnv =>
      cleanClientEnv({
        AWS_ACCESS_KEY_ID: rig.accessKeyId,
        AWS_SECRET_ACCESS_KEY: rig.secretAccessKey,
        AWS_DEFAULT_REGION: rig.region,
        HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
        AWS_CA_BUNDLE: proxy.caFile,
      });
    const aws = (args: string[]): Promise<AwsResult> => runAws(args, { env: env(), cli });

    it("select-object-content, get-object-torrent and a SELECT restore fail with NotImplemented", async () => {
      assert.equal((await aws(["s3", "mb", `s3://${bucket}`])).code, 0);
      const src = join(work, `${cli}.csv`);
      await writeFile(src, "a,b\n1,2\n");
      const up = await aws(["s3", "cp", src, `s3://${bucket}/data.csv`]);
      assert.equal(up.code, 0, explain(up));

      const select = await aws([
        "s3api",
        "select-object-content",
        "--bucket",
        bucket,
        "--key",
        "data.csv",
        "--expression",
        "select * from s3object",
        "--expression-type",
        "SQL",
        "--input-serialization",
        '{"CSV": {}}',
        "--output-serialization",
        '{"CSV": {}}',
        join(work, `${cli}-out.csv`),
      ]);
      assert.notEqual(select.code, 0, explain(select));
      assert.match(select.stderr, /\(NotImplemented\)/, explain(select));
      assert.match(select.stderr, /SelectObjectContent is not supported through s3proxy/, explain(select));

      const torrent = await aws([
        "s3api",
        "get-object-torrent",
        "--bucket",
        bucket,
        "--key",
        "data.csv",
        join(work, `${cli}.torrent`),
      ]);
      assert.notEqual(torrent.code, 0, explain(torrent));
      assert.match(torrent.stderr, /\(NotImplemented\)/, explain(torrent));

      const restoreWith = (request: string): Promise<AwsResult> =>
        aws([
          "s3api",
          "restore-object",
          "--bucket",
          bucket,
          "--key",
          "data.csv",
          "--restore-request",
          request,
        ]);
      const selectRestore = await restoreWith(
        JSON.stringify({
          Type: "SELECT",
          Tier: "Standard",
          SelectParameters: {
            InputSerialization: { CSV: {} },
            ExpressionType: "SQL",
            Expression: "select * from s3object",
            OutputSerialization: { CSV: {} },
          },
          OutputLocation: { S3: { BucketName: bucket, Prefix: "out" } },
        }),
      );
      assert.notEqual(selectRestore.code, 0, explain(selectRestore));
      assert.match(selectRestore.stderr, /\(NotImplemented\)/, explain(selectRestore));
      assert.match(selectRestore.stderr, /SELECT restores are refused/, explain(selectRestore));
      // A plain restore passes the proxy's check; the object is not archived, so radosgw refuses it its own way.
      const plainRestore = await restoreWith(JSON.stringify({ Days: 1 }));
      assert.doesNotMatch(
        plainRestore.stderr + plainRestore.stdout,
        /s3proxy|SELECT restores/,
        explain(plainRestore),
      );

      // The object is still there, unchanged, and reads back through the proxy.
      const down = await aws(["s3", "cp", `s3://${bucket}/data.csv`, "-"]);
      assert.equal(down.code, 0, explain(down));
      assert.equal(down.stdout, "a,b\n1,2\n");
    });
  });
}
