/**
 * LIST through the encrypting proxy against radosgw (src/pipeline/listingStep.ts, `--list-sizes`):
 * - ListObjectsV2, ListObjects and ListObjectVersions (@aws-sdk/client-s3) show every encrypted object's
 *   plaintext size and the ETag HEAD shows, single-part and multipart alike, and a legacy plaintext object
 *   written straight to radosgw as stored; delete markers are untouched;
 * - a second identical listing costs zero HEADs (the proxy's debug log counts them), and the figures of a
 *   first and second listing of 300 objects are printed for docs;
 * - `aws s3 ls` (CLI v2) shows plaintext sizes; `aws s3 sync` of a directory run twice copies nothing the second
 *   time; `rclone check` after `rclone copy` finds no differences;
 * - `--list-sizes math` lists with no HEADs at all.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { ciphertextLength } from "../../src/crypto/index.ts";
import { plaintext, startEncryptingProxy } from "../helpers/encryptedRig.ts";
import { proxiedAwsEnv } from "../helpers/proxiedAwsEnv.ts";
import { proxiedS3Client } from "../helpers/proxiedS3Client.ts";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import { runRclone } from "../helpers/rcloneClient.ts";
import { explainCommand as explain, type CommandResult } from "../helpers/runCommand.ts";
import { withEncryptingProxy } from "../helpers/withEncryptingProxy.ts";
import { runAws, type AwsResult } from "../rig/clientEnv.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const MiB = 1024 * 1024;
const rig = rigFromEnv();
const bucket = uniqueBucket("enc-list");
const enc = withEncryptingProxy(rig, "listings");

/** key → plaintext size of everything in `bucket`. */
const expected = new Map<string, number>();
const LEGACY_KEY = "legacy/plain.txt";
const MULTIPART_KEY = "multipart/obj.bin";

const md5 = (b: Buffer): string => createHash("md5").update(b).digest("base64");

interface ListingLog {
  msg: string;
  op: string;
  policy: string;
  entries: number;
  rewritten: number;
  heads: number;
  cached?: number;
  ms: number;
}

/** The "listing sizes resolved" log lines a proxy wrote after `mark`, waiting for `count` of them. */
async function listingLogs(p: ProxyProcess, mark: number, count = 1): Promise<ListingLog[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const lines = p.logs
      .slice(mark)
      .map((l) => JSON.parse(l) as ListingLog)
      .filter((l) => l.msg === "listing sizes resolved");
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

before(async () => {
  await enc.ready;
  await enc.viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const size of [0, 1, 65536, 65537, MiB]) {
    const body = plaintext(size);
    const key = `objs/${size} ✓&<x>.bin`;
    // Half with Content-MD5 (sealed plaintext MD5: the listing shows it), half without ("<stored>-1").
    const withMd5 = size % 2 === 1 ? { ContentMD5: md5(body) } : {};
    await enc.viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...withMd5 }));
    expected.set(key, size);
  }
  // A legacy plaintext object whose size (65601) is also a valid ciphertext length: only a HEAD tells.
  await enc.direct.send(new PutObjectCommand({ Bucket: bucket, Key: LEGACY_KEY, Body: plaintext(65601) }));
  expected.set(LEGACY_KEY, 65601);
  // An encrypted multipart object: two 5 MiB parts and a short last one.
  const big = plaintext(10 * MiB + 1000);
  await new Upload({
    client: enc.viaProxy,
    params: { Bucket: bucket, Key: MULTIPART_KEY, Body: big },
    partSize: 5 * MiB,
    queueSize: 2,
  }).done();
  expected.set(MULTIPART_KEY, big.length);
});

const aws = (args: string[]): Promise<AwsResult> =>
  runAws(args, { env: proxiedAwsEnv(rig, enc.proxy), cli: "v2" });
/** rclone through the proxy (its `enc:` remote). */
const rclone = (args: string[]): Promise<CommandResult> => runRclone(enc, args);

void describe("listings through the encrypting proxy (--list-sizes head)", () => {
  it("ListObjectsV2, ListObjects: plaintext sizes and the ETags HEAD shows; legacy and multipart included", async () => {
    const mark = enc.proxy.logs.length;
    const v2 = await enc.viaProxy.send(new ListObjectsV2Command({ Bucket: bucket }));
    const sizes = new Map(v2.Contents?.map((c) => [c.Key!, c.Size!]));
    assert.deepEqual(sizes, expected);
    const stored = await enc.direct.send(new ListObjectsV2Command({ Bucket: bucket }));
    const storedSize = new Map(stored.Contents?.map((c) => [c.Key!, c.Size!]));
    assert.equal(
      storedSize.get(MULTIPART_KEY),
      ciphertextLength(10 * MiB + 1000, 16),
      "radosgw lists ciphertext",
    );
    for (const c of v2.Contents ?? []) {
      const head = await enc.viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: c.Key! }));
      assert.equal(c.ETag, head.ETag, `${c.Key}: listed ETag = HEAD ETag`);
      assert.equal(c.Size, head.ContentLength, `${c.Key}: listed size = HEAD length`);
    }
    const etags = new Map(v2.Contents?.map((c) => [c.Key!, c.ETag!]));
    assert.match(etags.get("objs/1 ✓&<x>.bin")!, /^"[0-9a-f]{32}"$/, "sealed MD5");
    assert.match(etags.get("objs/65536 ✓&<x>.bin")!, /^"[0-9a-f]{32}-1"$/, "not an MD5");
    assert.match(etags.get(MULTIPART_KEY)!, /^"[0-9a-f]{32}-3"$/, "multipart ETag kept");
    const [log] = await listingLogs(enc.proxy, mark);
    assert.equal(log?.heads, expected.size, "first listing: one HEAD per object");

    const v1 = await enc.viaProxy.send(new ListObjectsCommand({ Bucket: bucket }));
    assert.deepEqual(new Map(v1.Contents?.map((c) => [c.Key!, c.Size!])), expected);
    assert.deepEqual(new Map(v1.Contents?.map((c) => [c.Key!, c.ETag!])), etags);
  });

  it("a second identical listing costs zero HEADs", async () => {
    const first = await enc.viaProxy.send(new ListObjectsV2Command({ Bucket: bucket }));
    const mark = enc.proxy.logs.length;
    const second = await enc.viaProxy.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(second.Contents, first.Contents);
    const [log] = await listingLogs(enc.proxy, mark);
    assert.equal(log?.heads, 0);
    assert.equal(log?.cached, expected.size);
  });

  it("ListObjectVersions: each version by its id, delete markers untouched", async () => {
    const vb = uniqueBucket("enc-list-ver");
    await enc.viaProxy.send(new CreateBucketCommand({ Bucket: vb }));
    await enc.viaProxy.send(
      new PutBucketVersioningCommand({ Bucket: vb, VersioningConfiguration: { Status: "Enabled" } }),
    );
    await enc.viaProxy.send(new PutObjectCommand({ Bucket: vb, Key: "k", Body: plaintext(100) }));
    await enc.viaProxy.send(new PutObjectCommand({ Bucket: vb, Key: "k", Body: plaintext(70_000) }));
    await enc.viaProxy.send(new PutObjectCommand({ Bucket: vb, Key: "gone", Body: plaintext(5) }));
    await enc.viaProxy.send(new DeleteObjectCommand({ Bucket: vb, Key: "gone" }));
    const mark = enc.proxy.logs.length;
    const out = await enc.viaProxy.send(new ListObjectVersionsCommand({ Bucket: vb }));
    assert.deepEqual(
      out.Versions?.map((v) => [v.Key, v.Size, v.IsLatest]).sort(),
      [
        ["gone", 5, false],
        ["k", 100, false],
        ["k", 70_000, true],
      ].sort(),
    );
    assert.deepEqual(
      out.DeleteMarkers?.map((d) => d.Key),
      ["gone"],
    );
    const [log] = await listingLogs(enc.proxy, mark);
    assert.equal(log?.heads, 3);
  });

  it("aws s3 ls (CLI v2) shows plaintext sizes", async () => {
    const ls = await aws(["s3", "ls", "--recursive", `s3://${bucket}/`]);
    assert.equal(ls.code, 0, explain(ls));
    const listed = new Map(
      ls.stdout
        .trim()
        .split("\n")
        .map((line) => /^\S+ \S+\s+(\d+) (.+)$/.exec(line))
        .map((m) => [m?.[2] ?? "", Number(m?.[1])] as const),
    );
    assert.deepEqual(listed, expected);
  });

  it("aws s3 sync twice: the second run copies nothing", async () => {
    const dir = join(enc.work, "sync");
    await mkdir(join(dir, "sub"), { recursive: true });
    for (const [name, size] of [
      ["empty", 0],
      ["one", 1],
      ["seg", 65536],
      ["seg1", 65537],
      ["sub/mid ✓", 200_000],
      ["sub/big", 9 * MiB], // above the CLI's 8 MiB multipart threshold
    ] as const) {
      await writeFile(join(dir, name), plaintext(size));
    }
    const target = `s3://${bucket}/sync/`;
    const first = await aws(["s3", "sync", dir, target]);
    assert.equal(first.code, 0, explain(first));
    assert.equal((first.stdout.match(/^upload: /gm) ?? []).length, 6, explain(first));
    const second = await aws(["s3", "sync", dir, target]);
    assert.equal(second.code, 0, explain(second));
    assert.equal(second.stdout.trim(), "", `second sync copied something:\n${explain(second)}`);
    // And the other direction: nothing to download either.
    const back = await aws(["s3", "sync", target, dir]);
    assert.equal(back.code, 0, explain(back));
    assert.equal(back.stdout.trim(), "", `download sync copied something:\n${explain(back)}`);
  });

  it("rclone check after rclone copy finds no differences", async () => {
    const dir = join(enc.work, "rclone-src");
    await mkdir(join(dir, "d"), { recursive: true });
    for (const [name, size] of [
      ["a", 0],
      ["b", 1],
      ["d/c ✓", 65537],
      ["d/e", 300_000],
    ] as const) {
      await writeFile(join(dir, name), plaintext(size));
    }
    const remote = `enc:${bucket}/rclone`;
    const copy = await rclone(["copy", dir, remote]);
    assert.equal(copy.code, 0, explain(copy));
    const check = await rclone(["check", dir, remote]);
    assert.equal(check.code, 0, explain(check));
    assert.match(check.stderr, /0 differences found/, explain(check));
    assert.match(check.stderr, /4 matching files/, explain(check));
    assert.doesNotMatch(check.stderr, /hashes could not be checked/, explain(check));
    const again = await rclone(["copy", dir, remote]);
    assert.equal(again.code, 0, explain(again));
    assert.doesNotMatch(again.stderr, /: Copied/, `second copy transferred:\n${explain(again)}`);
  });

  it("figures: first and second listing of 300 objects", async () => {
    const fb = uniqueBucket("enc-list-n");
    await enc.viaProxy.send(new CreateBucketCommand({ Bucket: fb }));
    const keys = Array.from({ length: 300 }, (_, i) => `o/${String(i).padStart(4, "0")}`);
    await inParallel(keys, 8, (key) =>
      enc.viaProxy.send(new PutObjectCommand({ Bucket: fb, Key: key, Body: plaintext(100) })),
    );
    const timed = async (): Promise<{ ms: number; log: ListingLog | undefined }> => {
      const mark = enc.proxy.logs.length;
      const started = Date.now();
      const out = await enc.viaProxy.send(new ListObjectsV2Command({ Bucket: fb }));
      const ms = Date.now() - started;
      assert.equal(out.KeyCount, 300);
      assert.ok(out.Contents?.every((c) => c.Size === 100));
      return { ms, log: (await listingLogs(enc.proxy, mark))[0] };
    };
    const direct0 = Date.now();
    await enc.direct.send(new ListObjectsV2Command({ Bucket: fb }));
    const directMs = Date.now() - direct0;
    const first = await timed();
    const second = await timed();
    assert.equal(first.log?.heads, 300);
    assert.equal(second.log?.heads, 0);
    console.log(
      `# listing 300 objects: direct ${directMs} ms; through the proxy first ${first.ms} ms ` +
        `(${first.log?.heads} HEADs, proxy ${first.log?.ms} ms), second ${second.ms} ms ` +
        `(${second.log?.heads} HEADs, proxy ${second.log?.ms} ms)`,
    );
  });
});

void describe("listings with --list-sizes math", () => {
  it("shows size-math sizes with zero HEADs", async () => {
    const mathWork = await mkdtemp(join(tmpdir(), "s3proxy-listings-math-"));
    const mathProxy = await startEncryptingProxy(rig, mathWork, { extraArgs: ["--list-sizes", "math"] });
    const client = await proxiedS3Client(rig, mathProxy);
    try {
      const mark = mathProxy.logs.length;
      const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "objs/" }));
      assert.deepEqual(
        new Map(out.Contents?.map((c) => [c.Key!, c.Size!])),
        new Map([...expected].filter(([k]) => k.startsWith("objs/"))),
      );
      assert.ok(
        out.Contents?.every((c) => /-1"$/.test(c.ETag ?? "")),
        "every ETag marked as not an MD5",
      );
      const [log] = await listingLogs(mathProxy, mark);
      assert.equal(log?.policy, "math");
      assert.equal(log?.heads, 0);
    } finally {
      client.destroy();
      await mathProxy.stop();
      await rm(mathWork, { recursive: true, force: true });
    }
  });
});
