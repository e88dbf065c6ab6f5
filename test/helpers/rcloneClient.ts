/**
 * rclone 1.60 (Debian) through a proxy process, with an env-only remote `enc:` (type s3, provider AWS, the rig's
 * credentials and region) and an empty private config file under `work`, so no rclone config of the machine
 * applies. rclone takes HTTPS_PROXY, but the proxy's CA only as `--ca-cert`: it fails if AWS_CA_BUNDLE is set
 * (NOTES.md §1; cleanClientEnv removes it). One retry at most, so a failure shows at once, and `-v` so the
 * failure message shows what rclone did.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cleanClientEnv } from "../rig/clientEnv.ts";
import type { RigDescriptor } from "../rig/rigEnv.ts";
import type { ProxyProcess } from "./proxyProcess.ts";
import { runCommand, type CommandResult } from "./runCommand.ts";

export async function runRclone(
  through: { rig: RigDescriptor; proxy: ProxyProcess; work: string },
  args: readonly string[],
  timeoutMs?: number,
): Promise<CommandResult> {
  const { rig, proxy, work } = through;
  const config = join(work, "rclone.conf");
  await writeFile(config, "");
  const env = cleanClientEnv({
    RCLONE_CONFIG: config,
    RCLONE_CONFIG_ENC_TYPE: "s3",
    RCLONE_CONFIG_ENC_PROVIDER: "AWS",
    RCLONE_CONFIG_ENC_ACCESS_KEY_ID: rig.accessKeyId,
    RCLONE_CONFIG_ENC_SECRET_ACCESS_KEY: rig.secretAccessKey,
    RCLONE_CONFIG_ENC_REGION: rig.region,
    HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
  });
  return runCommand(
    "rclone",
    ["--ca-cert", proxy.caFile, "--low-level-retries", "1", "--retries", "1", "-v", ...args],
    { env, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
  );
}
