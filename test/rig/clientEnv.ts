/**
 * Helpers for running real S3 clients in tests without the machine's own settings leaking in. This image's base
 * environment exports AWS_CA_BUNDLE, SSL_CERT_FILE, NODE_EXTRA_CA_CERTS and friends pointing at the system
 * bundle (which does not trust the rig's test CA), and a developer box may have proxies or ~/.aws profiles:
 * each of those silently changes what a client does, so tests start from a scrubbed environment and add back
 * exactly what they mean.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand, type CommandResult } from "../helpers/runCommand.ts";

/** Removed in either case; NO_PROXY and friends are honoured lower-case by most clients. */
const PROXY_VARS = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"];
/** Every variable some TLS stack on this image reads a CA bundle from. */
const CA_VARS = [
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "REQUESTS_CA_BUNDLE",
  "CURL_CA_BUNDLE",
  "NODE_EXTRA_CA_CERTS",
  "NIX_SSL_CERT_FILE",
  "GIT_SSL_CAINFO",
  "HTTPLIB2_CA_CERTS",
  "PIP_CERT",
  "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH",
  "CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE",
];

/**
 * A copy of process.env without proxy, CA-bundle or AWS variables, with `extra` applied on top. Every `AWS_*`
 * variable goes (credentials, profile, config/credentials files, AWS_CA_BUNDLE, but also region, endpoint URLs and
 * checksum modes), since any of them changes what the AWS CLI and SDKs send.
 */
export function cleanClientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const drop = new Set([...PROXY_VARS, ...CA_VARS]);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const upper = key.toUpperCase();
    if (drop.has(upper) || upper.startsWith("AWS_")) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export type AwsResult = CommandResult;

export interface RunAwsOptions {
  env: NodeJS.ProcessEnv;
  /** "v1": the `aws` on PATH (pyenv AWS CLI 1.x on this image); "v2": Debian's /usr/bin/aws. Default v1. */
  cli?: "v1" | "v2";
  /** Piped to stdin (e.g. for `s3 cp - s3://…`); otherwise stdin is empty. */
  input?: Buffer;
  /** Kill the CLI after this long; default 120 s. */
  timeoutMs?: number;
}

const AWS_BINARY = { v1: "aws", v2: "/usr/bin/aws" } as const;

/**
 * Runs the AWS CLI with a private, empty-ish config so nothing in ~/.aws applies: credentials, CA bundle and
 * endpoint come from `opts.env` / `args`. Resolves with the exit code (never rejects on a non-zero exit, so tests
 * can assert on failures); rejects only if the CLI cannot start or times out.
 */
export async function runAws(args: string[], opts: RunAwsOptions): Promise<AwsResult> {
  const dir = await mkdtemp(join(tmpdir(), "s3proxy-aws-"));
  try {
    const config = join(dir, "config");
    const credentials = join(dir, "credentials");
    await writeFile(config, "[default]\nregion = us-east-1\noutput = json\ncli_pager =\n", { mode: 0o600 });
    await writeFile(credentials, "[default]\n", { mode: 0o600 });
    const env: NodeJS.ProcessEnv = {
      AWS_DEFAULT_REGION: "us-east-1",
      ...opts.env,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_PAGER: "",
      // With no credentials in env the CLI would otherwise probe 169.254.169.254 for seconds.
      AWS_EC2_METADATA_DISABLED: "true",
    };
    return await runCommand(AWS_BINARY[opts.cli ?? "v1"], args, {
      env,
      ...(opts.input === undefined ? {} : { input: opts.input }),
      timeoutMs: opts.timeoutMs ?? 120_000,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
