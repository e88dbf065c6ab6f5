/**
 * Runs an offline tool of the compiled CLI (`s3proxy inspect|decrypt|rewrap`, from dist/) as a user would, with
 * the rig's endpoint, CA and credentials for direct S3 access, in an environment without S3PROXY_* or AWS_*
 * settings (so nothing from the test machine leaks in). `spawnToolCli` hands back the child for tests that
 * watch its output and signal it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { builtCli } from "../../scripts/builtCli.ts";
import type { RigDescriptor } from "../rig/rigEnv.ts";
import { cleanClientEnv } from "../rig/clientEnv.ts";
import { runCommand, type CommandResult } from "./runCommand.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `--upstream-endpoint … --upstream-ca … --access-key-id … --secret-access-key … --region …` for the rig. */
export function rigAccessArgs(rig: RigDescriptor): string[] {
  return [
    "--upstream-endpoint",
    rig.httpsEndpoint,
    "--upstream-ca",
    rig.caFile,
    "--access-key-id",
    rig.accessKeyId,
    "--secret-access-key",
    rig.secretAccessKey,
    "--region",
    rig.region,
  ];
}

function toolEnv(): NodeJS.ProcessEnv {
  const env = cleanClientEnv();
  for (const name of Object.keys(env)) if (name.toUpperCase().startsWith("S3PROXY_")) delete env[name];
  return env;
}

export function runToolCli(
  args: readonly string[],
  options: { input?: Buffer; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return runCommand(process.execPath, [builtCli(), ...args], {
    env: toolEnv(),
    cwd: root,
    ...(options.input === undefined ? {} : { input: options.input }),
    timeoutMs: options.timeoutMs ?? 120_000,
  });
}

export function spawnToolCli(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [builtCli(), ...args], { env: toolEnv(), cwd: root, stdio: "pipe" });
}
