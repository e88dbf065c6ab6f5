/**
 * Regenerates the real-client fixtures in test/s3body/fixtures/: runs the AWS CLIs installed on this image
 * (v1 on PATH, Debian's v2 at /usr/bin/aws) against a throwaway HTTP/HTTPS server on 127.0.0.1 and saves each
 * PutObject exactly as Node's HTTP server hands it to the proxy: method, URL, raw header array, and the body
 * after HTTP's own framing (so an aws-chunked body keeps its chunk framing and trailers). No network is used.
 *
 *   node --import tsx test/s3body/captureClientFixtures.ts [NAME...]
 *
 * Bodies are stored gzipped (`NAME.body.gz`, plaintexts are periodic so multi-MiB bodies stay small) next to
 * `NAME.json` (headers, client version, command, and the plaintext's length and SHA-256).
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createTestPki } from "../helpers/testPki.ts";
import { cleanClientEnv, runAws } from "../rig/clientEnv.ts";
import type { ClientFixture } from "./clientFixtures.ts";
import { fixturePlaintext } from "./clientFixtures.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

interface Scenario {
  name: string;
  cli: "v1" | "v2";
  scheme: "http" | "https";
  size: number;
  /** Arguments after the endpoint/CA options; FILE is replaced by the plaintext's path. */
  args: string[];
  /** Piped to the CLI instead of a file argument (for `s3 cp -`). */
  stdin?: boolean;
  note: string;
}

const putObject = (...extra: string[]): string[] => [
  "s3api",
  "put-object",
  "--bucket",
  "bucket",
  "--key",
  "object.bin",
  "--body",
  "FILE",
  ...extra,
];

const SCENARIOS: Scenario[] = [
  {
    name: "cli-v1-https-default",
    cli: "v1",
    scheme: "https",
    size: 1000,
    args: putObject(),
    note: "botocore default since 1.36: STREAMING-UNSIGNED-PAYLOAD-TRAILER, CRC32 trailer",
  },
  {
    name: "cli-v1-https-multichunk",
    cli: "v1",
    scheme: "https",
    size: 2.5 * 1024 * 1024,
    args: putObject(),
    note: "several 1 MiB aws-chunked chunks",
  },
  {
    name: "cli-v1-https-empty",
    cli: "v1",
    scheme: "https",
    size: 0,
    args: putObject(),
    note: "0-byte object: only the final chunk and the trailer",
  },
  {
    name: "cli-v1-https-sha256",
    cli: "v1",
    scheme: "https",
    size: 5000,
    args: putObject("--checksum-algorithm", "SHA256"),
    note: "SHA-256 trailer",
  },
  {
    name: "cli-v1-https-sha1",
    cli: "v1",
    scheme: "https",
    size: 5000,
    args: putObject("--checksum-algorithm", "SHA1"),
    note: "SHA-1 trailer",
  },
  {
    name: "cli-v1-https-sha512",
    cli: "v1",
    scheme: "https",
    size: 5000,
    args: putObject("--checksum-algorithm", "SHA512"),
    note: "SHA-512 trailer (a newer S3 checksum algorithm botocore 1.43 computes without awscrt)",
  },
  {
    name: "cli-v1-https-md5-gzip",
    cli: "v1",
    scheme: "https",
    size: 3000,
    args: putObject("--content-encoding", "gzip", "--content-md5", "CONTENT_MD5"),
    note: "Content-MD5 alongside the CRC32 trailer; Content-Encoding gzip,aws-chunked",
  },
  {
    name: "cli-v1-http-default",
    cli: "v1",
    scheme: "http",
    size: 1000,
    args: putObject(),
    note: "over plain HTTP botocore signs the payload (hex SHA-256) and sends x-amz-checksum-crc32 as a header",
  },
  {
    name: "cli-v1-https-s3cp-stdin",
    cli: "v1",
    scheme: "https",
    size: 70000,
    args: ["s3", "cp", "-", "s3://bucket/stdin.bin"],
    stdin: true,
    note: "s3transfer upload of an unseekable stream",
  },
  {
    name: "cli-v2-https-default",
    cli: "v2",
    scheme: "https",
    size: 1000,
    args: putObject(),
    note: "AWS CLI v2.9: UNSIGNED-PAYLOAD + Content-MD5",
  },
  {
    name: "cli-v2-http-default",
    cli: "v2",
    scheme: "http",
    size: 1000,
    args: putObject(),
    note: "AWS CLI v2.9 over HTTP: hex SHA-256 payload hash + Content-MD5",
  },
  {
    name: "cli-v2-https-crc32",
    cli: "v2",
    scheme: "https",
    size: 4000,
    args: putObject("--checksum-algorithm", "CRC32"),
    note: "AWS CLI v2.9 with an explicit checksum algorithm",
  },
  {
    name: "cli-v2-https-crc32c",
    cli: "v2",
    scheme: "https",
    size: 4000,
    args: putObject("--checksum-algorithm", "CRC32C"),
    note: "AWS CLI v2.9 CRC32C (computed by awscrt)",
  },
  {
    name: "cli-v2-https-sha256",
    cli: "v2",
    scheme: "https",
    size: 4000,
    args: putObject("--checksum-algorithm", "SHA256"),
    note: "AWS CLI v2.9 SHA-256 checksum",
  },
  {
    name: "cli-v2-https-sha1",
    cli: "v2",
    scheme: "https",
    size: 4000,
    args: putObject("--checksum-algorithm", "SHA1"),
    note: "AWS CLI v2.9 SHA-1 checksum",
  },
];

interface Captured {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

function handler(sink: Captured[]): http.RequestListener {
  return (req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (b: Buffer) => parts.push(b));
    req.on("end", () => {
      sink.push({
        method: req.method ?? "",
        url: req.url ?? "",
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(parts),
      });
      res.writeHead(200, {
        ETag: '"00000000000000000000000000000000"',
        "x-amz-request-id": "CAPTURE",
        "Content-Length": "0",
      });
      res.end();
    });
  };
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function versionOf(cli: "v1" | "v2", env: NodeJS.ProcessEnv): Promise<string> {
  const r = await runAws(["--version"], { env, cli });
  return (r.stdout + r.stderr).trim();
}

async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2));
  const pki = await createTestPki();
  const work = await mkdtemp(join(tmpdir(), "s3body-capture-"));
  const captured: Captured[] = [];
  const { key, cert } = pki.serverCert("127.0.0.1");
  const httpsServer = https.createServer({ key, cert }, handler(captured));
  const httpServer = http.createServer(handler(captured));
  try {
    const ports = { https: await listen(httpsServer), http: await listen(httpServer) };
    const caFile = join(pki.dir, "ca", "ca.pem");
    const env = cleanClientEnv({
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    });
    const versions = { v1: await versionOf("v1", env), v2: await versionOf("v2", env) };
    await mkdir(FIXTURES, { recursive: true });
    for (const s of SCENARIOS) {
      if (only.size > 0 && !only.has(s.name)) continue;
      const plaintext = fixturePlaintext(s.size);
      const file = join(work, `${s.name}.bin`);
      await writeFile(file, plaintext);
      const md5 = createHash("md5").update(plaintext).digest("base64");
      const args = s.args.map((a) => (a === "FILE" ? file : a === "CONTENT_MD5" ? md5 : a));
      const endpoint = `${s.scheme}://127.0.0.1:${ports[s.scheme]}`;
      const full = [
        "--endpoint-url",
        endpoint,
        ...(s.scheme === "https" ? ["--ca-bundle", caFile] : []),
        ...args,
      ];
      captured.length = 0;
      const r = await runAws(full, { env, cli: s.cli, ...(s.stdin ? { input: plaintext } : {}) });
      const put = captured.find((c) => c.method === "PUT");
      if (r.code !== 0 || !put) {
        console.error(`${s.name}: exit ${r.code}, ${captured.length} requests\n${r.stderr.slice(-1500)}`);
        continue;
      }
      const fixture: ClientFixture = {
        name: s.name,
        note: s.note,
        client: versions[s.cli],
        command: ["aws", ...full.map((a) => a.replace(work, "$TMP").replace(pki.dir, "$PKI"))],
        method: put.method,
        url: put.url,
        rawHeaders: put.rawHeaders,
        bodyFile: `${s.name}.body.gz`,
        bodyLength: put.body.length,
        plaintext: { length: plaintext.length, sha256: createHash("sha256").update(plaintext).digest("hex") },
      };
      await writeFile(join(FIXTURES, fixture.bodyFile), gzipSync(put.body, { level: 9 }));
      await writeFile(join(FIXTURES, `${s.name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
      console.log(`${s.name}: ${put.method} ${put.url}, body ${put.body.length} bytes`);
    }
  } finally {
    httpsServer.close();
    httpServer.close();
    await pki.cleanup();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
