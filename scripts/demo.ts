/**
 * `npm run demo`: a two-minute, human-readable proof that s3proxy encrypts transparently. It starts a local S3
 * backend (moto_server, or the radosgw test rig if moto is missing), the real `s3proxy serve` as a child process
 * with a throwaway CA and key file, then uses the unmodified AWS CLI through the proxy (HTTPS_PROXY +
 * AWS_CA_BUNDLE) to create a bucket and upload a small text file. It prints what the CLI reads back through the
 * proxy (plaintext) next to what the backend really stores, read directly (ciphertext dump + envelope
 * metadata), checks the plaintext is nowhere in the stored body, and tears everything down. Exit code 0 only if
 * every step and check passed.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createDevelopmentKeyFile } from "../src/keys/index.ts";
import { motoAvailable, startMoto } from "../test/helpers/motoServer.ts";
import { startProxyProcess, type ProxyProcess } from "../test/helpers/proxyProcess.ts";
import { cleanClientEnv, runAws, type AwsResult } from "../test/rig/clientEnv.ts";
import { startRadosgw } from "../test/rig/radosgw.ts";

const MESSAGE = "Hello from s3proxy\n";
const REGION = "us-east-1";

interface Backend {
  name: string;
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

async function startBackend(): Promise<Backend> {
  if (motoAvailable()) {
    const moto = await startMoto();
    return {
      name: "moto_server",
      endpoint: moto.endpoint,
      accessKeyId: "test",
      secretAccessKey: "test",
      stop: () => moto.stop(),
    };
  }
  console.log("  (moto_server not on PATH: falling back to the radosgw rig)");
  const rig = await startRadosgw();
  return {
    name: "Ceph radosgw",
    endpoint: rig.descriptor.httpEndpoint,
    accessKeyId: rig.descriptor.accessKeyId,
    secretAccessKey: rig.descriptor.secretAccessKey,
    stop: () => rig.stop(),
  };
}

/** Classic hex dump: offset, 16 hex bytes, printable ASCII. */
function hexDump(buf: Buffer): string {
  const lines: string[] = [];
  for (let off = 0; off < buf.length; off += 16) {
    const row = buf.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`    ${off.toString(16).padStart(8, "0")}  ${hex.padEnd(47)}  |${ascii}|`);
  }
  return lines.join("\n");
}

function step(text: string): void {
  console.log(`\n==> ${text}`);
}

function check(r: AwsResult, what: string): AwsResult {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
  return r;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "s3proxy-demo-"));
  let backend: Backend | undefined;
  let proxy: ProxyProcess | undefined;
  try {
    step("Starting a local S3 backend");
    backend = await startBackend();
    console.log(`  ${backend.name} on ${backend.endpoint}`);

    step("Starting s3proxy (throwaway CA and key file)");
    const keyFile = join(work, "keys", "kek.json");
    await createDevelopmentKeyFile(keyFile);
    proxy = await startProxyProcess(
      [
        "--key-file",
        keyFile,
        "--access-key-id",
        backend.accessKeyId,
        "--secret-access-key",
        backend.secretAccessKey,
        "--region",
        REGION,
        "--upstream-endpoint",
        backend.endpoint,
      ],
      { caDir: join(work, "ca") },
    );
    console.log(`  listening on 127.0.0.1:${proxy.port}, CA certificate ${proxy.caFile}`);

    const env = cleanClientEnv({
      AWS_ACCESS_KEY_ID: backend.accessKeyId,
      AWS_SECRET_ACCESS_KEY: backend.secretAccessKey,
      AWS_DEFAULT_REGION: REGION,
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
      AWS_CA_BUNDLE: proxy.caFile,
    });
    const aws = (args: string[]): Promise<AwsResult> => runAws(args, { env });
    const bucket = `s3proxy-demo-${process.pid}`;
    const key = "hello.txt";
    const file = join(work, key);
    await writeFile(file, MESSAGE);

    step(`AWS CLI through the proxy: aws s3 mb s3://${bucket} && aws s3 cp hello.txt s3://${bucket}/${key}`);
    check(await aws(["s3", "mb", `s3://${bucket}`]), "aws s3 mb");
    check(await aws(["s3", "cp", file, `s3://${bucket}/${key}`]), "aws s3 cp (upload)");

    step(`AWS CLI through the proxy: aws s3 cp s3://${bucket}/${key} -`);
    const readBack = check(
      await aws(["s3", "cp", `s3://${bucket}/${key}`, "-"]),
      "aws s3 cp (download)",
    ).stdout;
    console.log(`  plaintext via proxy: ${JSON.stringify(readBack)}`);
    if (readBack !== MESSAGE)
      throw new Error(`read back ${JSON.stringify(readBack)}, expected ${JSON.stringify(MESSAGE)}`);

    step(`Reading s3://${bucket}/${key} directly from ${backend.name} (no proxy)`);
    const direct = new S3Client({
      region: REGION,
      endpoint: backend.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: backend.accessKeyId, secretAccessKey: backend.secretAccessKey },
    });
    let stored: Buffer;
    let metadata: Record<string, string>;
    try {
      const got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      stored = Buffer.from(await got.Body!.transformToByteArray());
      metadata = got.Metadata ?? {};
    } finally {
      direct.destroy();
    }
    console.log(
      `  ciphertext stored upstream: ${stored.length} bytes (plaintext is ${MESSAGE.length}); first bytes:`,
    );
    console.log(hexDump(stored.subarray(0, 64)));
    console.log("  envelope metadata stored upstream:");
    const envelope = Object.entries(metadata).filter(([k]) => k.startsWith("s3proxy-"));
    for (const [k, v] of envelope) console.log(`    x-amz-meta-${k}: ${v}`);

    step("Checks");
    if (envelope.length === 0) throw new Error("no x-amz-meta-s3proxy-* metadata on the stored object");
    if (stored.includes(MESSAGE.trim())) throw new Error("the plaintext appears in the stored body");
    if (JSON.stringify(metadata).includes(MESSAGE.trim()))
      throw new Error("the plaintext appears in metadata");
    console.log("  OK: the client saw plaintext; the backend holds only ciphertext + envelope metadata.");
  } finally {
    step("Tearing down");
    await proxy?.stop();
    await backend?.stop();
    await rm(work, { recursive: true, force: true });
    console.log("  done");
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`\nDEMO FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
