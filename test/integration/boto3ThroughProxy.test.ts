/**
 * Acceptance (issue [3]): boto3 (pyenv python3 on PATH, boto3/botocore 1.43 with default checksum settings:
 * bodies go up as aws-chunked with CRC trailers) through the encrypting proxy against radosgw, with HTTPS_PROXY
 * and AWS_CA_BUNDLE=<proxy ca> and nothing else:
 * - `put_object`/`get_object` and s3transfer's `upload_file`/`download_file` (single part at 7 MiB, below its
 *   8 MiB threshold) move edge-size bodies up and down byte-identically;
 * - the objects read directly from radosgw are ciphertext.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SIZES, assertStoredCiphertext, plaintext } from "../helpers/encryptedRig.ts";
import { runBoto3 } from "../helpers/runBoto3.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const enc = withEncryptingProxy(rig, "boto3");

/** Reads a JSON job on stdin; every transfer is one boto3 call; prints the versions it ran with. */
const SCRIPT = `
import json, sys, boto3, botocore
job = json.load(sys.stdin)
s3 = boto3.client("s3")
s3.create_bucket(Bucket=job["bucket"])
for it in job["items"]:
    if it["api"] == "object":
        with open(it["src"], "rb") as f:
            s3.put_object(Bucket=job["bucket"], Key=it["key"], Body=f.read(), Metadata={"note": "boto3"})
        got = s3.get_object(Bucket=job["bucket"], Key=it["key"])
        assert got["Metadata"].get("note") == "boto3", got["Metadata"]
        assert got["ContentLength"] == it["size"], got["ContentLength"]
        with open(it["dst"], "wb") as f:
            f.write(got["Body"].read())
    else:
        s3.upload_file(it["src"], job["bucket"], it["key"])
        s3.download_file(job["bucket"], it["key"], it["dst"])
    head = s3.head_object(Bucket=job["bucket"], Key=it["key"])
    assert head["ContentLength"] == it["size"], head["ContentLength"]
print(json.dumps({"boto3": boto3.__version__, "botocore": botocore.__version__}))
`;

interface Item {
  api: "object" | "transfer";
  key: string;
  size: number;
  src: string;
  dst: string;
}

void describe("boto3 through the encrypting proxy", () => {
  it("puts and gets 0 B .. 7 MiB byte-identically (put_object and upload_file), radosgw stores ciphertext", async () => {
    const bucket = uniqueBucket("enc-boto3");
    const bodies = new Map<string, Buffer>();
    const items: Item[] = [];
    for (const api of ["object", "transfer"] as const) {
      for (const size of SIZES) {
        const body = plaintext(size);
        const item: Item = {
          api,
          key: `${api}/obj-${size} ✓.bin`,
          size,
          src: join(enc.work, `${api}-${size}.src`),
          dst: join(enc.work, `${api}-${size}.dst`),
        };
        await writeFile(item.src, body);
        bodies.set(item.key, body);
        items.push(item);
      }
    }
    const r = await runBoto3(enc, SCRIPT, { bucket, items });
    assert.equal(r.code, 0, `boto3 exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr.slice(-4000)}`);
    for (const item of items) {
      const body = bodies.get(item.key)!;
      assert.ok(
        (await readFile(item.dst)).equals(body),
        `${item.api} ${item.size} B: downloaded bytes differ`,
      );
      await assertStoredCiphertext(enc.direct, bucket, item.key, body);
    }
    // botocore 1.43 really sent aws-chunked bodies with CRC trailers, which the proxy decoded and verified.
    assert.ok(
      enc.proxy.logs.some((l) => l.includes('"framing":"aws-chunked"') && l.includes('"checksum":"CRC')),
      "no aws-chunked upload with a CRC trailer seen from boto3",
    );
  });
});
