/**
 * A boto3 script (pyenv python3 on PATH) through a proxy process: `python3 -c script` with `job` as JSON on stdin,
 * in the environment of proxiedAwsEnv plus config and credentials files that do not exist (nothing in ~/.aws
 * applies) and no instance metadata lookups.
 */
import { join } from "node:path";
import type { RigDescriptor } from "../rig/rigEnv.ts";
import { proxiedAwsEnv } from "./proxiedAwsEnv.ts";
import type { ProxyProcess } from "./proxyProcess.ts";
import { runCommand, type CommandResult } from "./runCommand.ts";

export function runBoto3(
  through: { rig: RigDescriptor; proxy: ProxyProcess; work: string },
  script: string,
  job: unknown,
  timeoutMs?: number,
): Promise<CommandResult> {
  const env = proxiedAwsEnv(through.rig, through.proxy, {
    AWS_CONFIG_FILE: join(through.work, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(through.work, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
  });
  return runCommand("python3", ["-c", script], {
    env,
    input: JSON.stringify(job),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
