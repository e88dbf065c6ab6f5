/**
 * Acceptance (issue [5], KEK rotation): objects written through the real encrypting proxy under KEK A (single-part
 * of many sizes, a 20 MiB multipart upload, one with a sealed MD5, one with user metadata, content headers and
 * tags, and a legacy plaintext object written around the proxy) are re-wrapped under KEK B by `s3proxy rewrap`:
 * a dry run changes nothing; a real run interrupted by SIGINT saves its position and a second run resumes from
 * it; the multipart object is copied part for part along its own boundaries; then KEK A is removed from the key
 * file, the proxy restarted, and every object reads back byte-identically, with its metadata, headers and tags.
 * A concurrent overwrite during a re-wrap is not clobbered (x-amz-copy-source-if-match), and --all-versions
 * counts the noncurrent versions that keep the old KEK.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import {
  addKey,
  generateKek,
  loadKeyFile,
  LocalKeyProvider,
  serializeKeyFile,
} from "../../src/keys/index.ts";
import { createToolS3Client } from "../../src/tools/createToolS3Client.ts";
import { runRewrap } from "../../src/tools/rewrap/runRewrap.ts";
import { lineProgress } from "../../src/tools/rewrap/rewrapProgress.ts";
import type { RewrapSummary } from "../../src/tools/rewrap/RewrapTally.ts";
import { directClient, plaintext, proxyKeyFile, startEncryptingProxy } from "../helpers/encryptedRig.ts";
import { proxiedS3Client } from "../helpers/proxiedS3Client.ts";
import type { ProxyProcess } from "../helpers/proxyProcess.ts";
import { explainCommand } from "../helpers/runCommand.ts";
import { rigAccessArgs, runToolCli, spawnToolCli } from "../helpers/runToolCli.ts";
import { rigFromEnv, uniqueBucket } from "../rig/rigEnv.ts";

const rig = rigFromEnv();
const bucket = uniqueBucket("rewrap");
const MiB = 1024 * 1024;

let work: string;
let proxy: ProxyProcess;
let viaProxy: S3Client;
let direct: S3Client;
let kekA: string;
let kekB: string;

const bodies = new Map<string, Buffer>();
const before1 = new Map<string, HeadObjectCommandOutput>();
const md5 = (b: Buffer | string): Buffer => createHash("md5").update(b).digest();
const keyFile = (): string => proxyKeyFile(work);
const toolArgs = (): string[] => [...rigAccessArgs(rig), "--key-file", keyFile()];

async function headAll(): Promise<Map<string, HeadObjectCommandOutput>> {
  const out = new Map<string, HeadObjectCommandOutput>();
  for (const key of [...bodies.keys(), "legacy.txt"]) {
    out.set(key, await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
  }
  return out;
}

const kekOf = (head: HeadObjectCommandOutput | undefined): string | undefined =>
  head?.Metadata?.["s3proxy-kek"];

async function readViaProxy(key: string, client = viaProxy): Promise<Buffer> {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

/** The plaintext as `s3proxy decrypt` gets it: straight from radosgw, with the key file as it is now. */
async function decryptDirect(b: string, key: string): Promise<Buffer> {
  const r = await runToolCli([
    "decrypt",
    `s3://${b}/${key}`,
    "-o",
    join(work, "direct.out"),
    "--force",
    ...toolArgs(),
  ]);
  assert.equal(r.code, 0, explainCommand(r));
  return readFile(join(work, "direct.out"));
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), "s3proxy-rewrap-"));
  proxy = await startEncryptingProxy(rig, work);
  viaProxy = await proxiedS3Client(rig, proxy);
  direct = await directClient(rig);
  kekA = `aeskw:${(await loadKeyFile(keyFile())).active}`;
});

after(async () => {
  viaProxy?.destroy();
  direct?.destroy();
  await proxy?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

void describe("KEK rotation with s3proxy rewrap", () => {
  before(async () => {
    await viaProxy.send(new CreateBucketCommand({ Bucket: bucket }));
    for (let i = 0; i < 20; i++)
      bodies.set(`small/${String(i).padStart(3, "0")}`, plaintext([0, 1, 65_536, 70_001][i % 4]! + i));
    for (const [key, body] of bodies)
      await viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const big = plaintext(20 * MiB + 4321);
    bodies.set("big.bin", big);
    await new Upload({
      client: viaProxy,
      params: { Bucket: bucket, Key: "big.bin", Body: big },
      partSize: 5 * MiB,
      tags: [{ Key: "size", Value: "big" }],
    }).done();
    const sealed = plaintext(200_000);
    bodies.set("md5.bin", sealed);
    await viaProxy.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "md5.bin",
        Body: sealed,
        ContentMD5: md5(sealed).toString("base64"),
      }),
    );
    const csv = Buffer.from("a,b\n1,2\n");
    bodies.set("meta.csv", csv);
    await viaProxy.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "meta.csv",
        Body: csv,
        ContentType: "text/csv",
        CacheControl: "max-age=600",
        ContentDisposition: 'attachment; filename="meta.csv"',
        Metadata: { owner: "team-a", purpose: "rotation test" },
        Tagging: "team=storage&tier=cold",
      }),
    );
    await direct.send(new PutObjectCommand({ Bucket: bucket, Key: "legacy.txt", Body: "never encrypted" }));
    for (const [key, head] of await headAll()) before1.set(key, head);
    for (const key of bodies.keys()) assert.equal(kekOf(before1.get(key)), kekA, key);

    const b = generateKek("kek-b");
    await addKey(keyFile(), b, true);
    kekB = `aeskw:${b.id}`;
  });

  it("--dry-run reports what would change and changes nothing", async () => {
    const resume = join(work, "dry.json");
    const r = await runToolCli([
      "rewrap",
      "--bucket",
      bucket,
      "--dry-run",
      "--json",
      "--resume-file",
      resume,
      ...toolArgs(),
    ]);
    assert.equal(r.code, 0, explainCommand(r));
    const s = JSON.parse(r.stdout) as RewrapSummary;
    assert.equal(s.dryRun, true);
    assert.equal(s.activeKekRef, kekB);
    assert.equal(s.scanned, bodies.size + 1);
    assert.equal(s.rewrapped, bodies.size);
    assert.deepEqual(s.rewrappedFrom, { [kekA]: bodies.size });
    assert.equal(s.legacy, 1);
    assert.equal(s.failed + s.refused + s.current, 0);
    assert.match(r.stderr, /^would rewrap s3:\/\/\S+\/big\.bin {2}aeskw:\S+ -> aeskw:kek-b$/m);
    for (const [key, head] of await headAll()) {
      const was = before1.get(key)!;
      assert.deepEqual(head.Metadata, was.Metadata, key);
      assert.equal(head.ETag, was.ETag, key);
      assert.equal(head.LastModified?.getTime(), was.LastModified?.getTime(), key);
    }
    await assert.rejects(access(resume), "a dry run writes no resume file");
  });

  it("a run interrupted by SIGINT saves its position; the next run resumes from it", async () => {
    const resume = join(work, "resume.json");
    // 5 MiB: the 20 MiB multipart object is copied part for part (along its 5 MiB parts).
    const args = [
      "rewrap",
      "--bucket",
      bucket,
      "--resume-file",
      resume,
      "--json",
      "--multipart-threshold",
      String(5 * MiB),
      ...toolArgs(),
    ];
    // One object at a time, so SIGINT surely lands with objects left.
    const child = spawnToolCli([...args, "--concurrency", "1"]);
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    let rewrapped = 0;
    const lines: string[] = [];
    createInterface({ input: child.stderr }).on("line", (line) => {
      lines.push(line);
      if (line.startsWith("rewrapped") && ++rewrapped === 3) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, 130, lines.join("\n"));
    assert.ok(
      lines.some((l) => l.startsWith("SIGINT: finishing")),
      lines.join("\n"),
    );
    const first = JSON.parse(stdout) as RewrapSummary;
    assert.equal(first.interrupted, true);
    assert.ok(
      first.rewrapped >= 3 && first.rewrapped < bodies.size,
      `first run re-wrapped ${first.rewrapped}`,
    );
    assert.ok(
      lines.some((l) => /^rewrapped {4}s3:\/\/\S+\/big\.bin .* \(5 parts\)$/.test(l)),
      lines.join("\n"),
    );
    const saved = JSON.parse(await readFile(resume, "utf8")) as {
      after?: { key: string };
      complete: boolean;
    };
    assert.equal(saved.complete, false);
    assert.ok(saved.after !== undefined, "a position was saved");
    const midway = await headAll();
    const stillA = [...bodies.keys()].filter((k) => kekOf(midway.get(k)) === kekA);
    assert.ok(stillA.length > 0, "some objects are left for the second run");
    assert.ok(
      stillA.every((k) => k > saved.after!.key),
      "everything up to the saved position is done",
    );

    const second = await runToolCli(args);
    assert.equal(second.code, 0, explainCommand(second));
    const s = JSON.parse(second.stdout) as RewrapSummary;
    assert.equal(s.interrupted, false);
    assert.equal(s.failed + s.refused, 0);
    assert.ok(s.scanned < bodies.size + 1, `resumed: scanned ${s.scanned}, not everything`);
    assert.ok(s.rewrapped >= stillA.length);
    assert.equal(first.rewrapped + s.rewrapped, bodies.size, "every object re-wrapped exactly once");
    assert.equal((JSON.parse(await readFile(resume, "utf8")) as { complete: boolean }).complete, true);

    const third = await runToolCli(args);
    assert.equal(third.code, 0, explainCommand(third));
    assert.equal((JSON.parse(third.stdout) as RewrapSummary).scanned, 0, "a completed run is not repeated");
    assert.match(third.stderr, /this run is complete; nothing to do/);
  });

  it("changed only kek and dek: body, ETag, hdr, md5, user metadata, content headers and tags stay", async () => {
    const now = await headAll();
    for (const key of bodies.keys()) {
      const was = before1.get(key)!;
      const head = now.get(key)!;
      assert.equal(kekOf(head), kekB, key);
      assert.notEqual(head.Metadata?.["s3proxy-dek"], was.Metadata?.["s3proxy-dek"], key);
      const strip = (m: Record<string, string> | undefined) => {
        const { "s3proxy-kek": _k, "s3proxy-dek": _d, ...rest } = m ?? {};
        return rest;
      };
      assert.deepEqual(strip(head.Metadata), strip(was.Metadata), key);
      assert.equal(head.ContentLength, was.ContentLength, key);
      assert.equal(head.ContentType, was.ContentType, key);
      // Same stored bytes in the same parts: S3's ETag is the same (multipart: MD5 of the part MD5s).
      assert.equal(head.ETag, was.ETag, key);
    }
    const meta = now.get("meta.csv")!;
    assert.equal(meta.ContentType, "text/csv");
    assert.equal(meta.CacheControl, "max-age=600");
    assert.equal(meta.ContentDisposition, 'attachment; filename="meta.csv"');
    assert.deepEqual(
      { owner: meta.Metadata?.owner, purpose: meta.Metadata?.purpose },
      { owner: "team-a", purpose: "rotation test" },
    );
    const tags = await direct.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "meta.csv" }));
    assert.deepEqual(tags.TagSet?.map((t) => `${t.Key}=${t.Value}`).sort(), ["team=storage", "tier=cold"]);
    const bigTags = await direct.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "big.bin" }));
    assert.deepEqual(bigTags.TagSet, [{ Key: "size", Value: "big" }], "tags of the multipart copy");
    assert.equal(now.get("legacy.txt")?.Metadata?.["s3proxy-kek"], undefined);
  });

  it("does not clobber an object overwritten during its re-wrap (copy conditions, ETag check before completing)", async () => {
    const s3 = await createToolS3Client({
      endpoint: rig.httpsEndpoint,
      caFile: rig.caFile,
      region: rig.region,
      credentials: { kind: "static", accessKeyId: rig.accessKeyId, secretAccessKey: rig.secretAccessKey },
    });
    const keys = new LocalKeyProvider(await loadKeyFile(keyFile()));
    // A CopyObject, and a multipart copy (12 MiB in 5 MiB parts, threshold 5 MiB): the overwrite lands after
    // the object was read and before the first copy request.
    const put = (key: string, body: Buffer): Promise<unknown> =>
      new Upload({
        client: viaProxy,
        params: { Bucket: bucket, Key: key, Body: body },
        partSize: 5 * MiB,
      }).done();
    try {
      for (const [key, size] of [
        ["race.bin", 50_000],
        ["race-big.bin", 12 * MiB],
      ] as const) {
        await put(key, plaintext(size));
        const fresh = plaintext(size + 1000);
        let overwrites = 0;
        const lines: string[] = [];
        const summary = await runRewrap({
          s3,
          keys,
          bucket,
          prefix: key,
          allVersions: false,
          dryRun: false,
          concurrency: 1,
          resumeFile: undefined,
          multipartThreshold: 5 * MiB,
          partConcurrency: 2,
          conditionalWrite: true,
          progress: () => Promise.resolve(lineProgress(bucket, (l) => lines.push(l))),
          // The proxy still runs with KEK A active (it reads keys at start): the overwrite is under A again.
          beforeCopy: async () => {
            overwrites++;
            await put(key, fresh);
          },
        });
        assert.equal(overwrites, 1, key);
        assert.equal(summary.rewrapped, 1, lines.join(""));
        assert.equal(summary.failed, 0, lines.join(""));
        const head = await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        assert.equal(kekOf(head), kekB, `${key}: the overwrite was re-wrapped in turn`);
        // This proxy cannot read KEK B yet (it loaded its keys before B existed): decrypt offline.
        assert.ok((await decryptDirect(bucket, key)).equals(fresh), `${key}: the concurrent write survives`);
        bodies.set(key, fresh);
      }
    } finally {
      s3.destroy();
    }
  });

  it("--all-versions re-wraps current versions and counts noncurrent ones under old KEKs", async () => {
    const versioned = uniqueBucket("rewrap-v");
    await viaProxy.send(new CreateBucketCommand({ Bucket: versioned }));
    await viaProxy.send(
      new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: "Enabled" } }),
    );
    await viaProxy.send(new PutObjectCommand({ Bucket: versioned, Key: "doc", Body: plaintext(1000) }));
    const v2 = plaintext(2000);
    await viaProxy.send(new PutObjectCommand({ Bucket: versioned, Key: "doc", Body: v2 }));
    const r = await runToolCli(["rewrap", "--bucket", versioned, "--all-versions", "--json", ...toolArgs()]);
    assert.equal(r.code, 0, explainCommand(r));
    const s = JSON.parse(r.stdout) as RewrapSummary;
    assert.equal(s.scanned, 2);
    assert.equal(s.rewrapped, 1);
    assert.deepEqual(s.noncurrentOldKek, { [kekA]: 1 });
    assert.match(r.stderr, /^noncurrent {3}s3:\/\/\S+\/doc\?versionId=\S+ {2}aeskw:/m);
    const versions = await direct.send(new ListObjectVersionsCommand({ Bucket: versioned }));
    assert.equal(versions.Versions?.length, 3, "the copy is a new version; the old ones stay");
    assert.ok((await decryptDirect(versioned, "doc")).equals(v2));
  });

  it("after KEK A is removed and the proxy restarted, everything reads back byte-identically", async () => {
    const set = await loadKeyFile(keyFile());
    const onlyB = { active: set.active, keys: set.keys.filter((k) => `aeskw:${k.id}` === kekB) };
    assert.equal(onlyB.keys.length, 1);
    await writeFile(keyFile(), serializeKeyFile(onlyB));
    await proxy.stop();
    viaProxy.destroy();
    proxy = await startEncryptingProxy(rig, work);
    viaProxy = await proxiedS3Client(rig, proxy);
    for (const [key, body] of bodies) {
      const got = await readViaProxy(key);
      assert.equal(got.length, body.length, key);
      assert.ok(got.equals(body), `${key} reads back byte-identically`);
    }
    assert.equal((await readViaProxy("legacy.txt")).toString(), "never encrypted");
    const sealed = await viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: "md5.bin" }));
    assert.equal(
      sealed.ETag,
      `"${md5(bodies.get("md5.bin")!).toString("hex")}"`,
      "the sealed MD5 still opens",
    );
    const meta = await viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: "meta.csv" }));
    assert.equal(meta.ContentType, "text/csv");
    assert.equal(meta.Metadata?.owner, "team-a");
  });
});
