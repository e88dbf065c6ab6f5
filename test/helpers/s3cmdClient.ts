/**
 * s3cmd (Debian's 2.3) through a proxy process: s3cmd ignores HTTPS_PROXY, so a private config names the proxy
 * (proxy_host/proxy_port) and its CA (ca_certs_file), with virtual-hosted `%(bucket)s.s3.amazonaws.com` and
 * SigV4.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cleanClientEnv } from "../rig/clientEnv.ts";
import type { RigDescriptor } from "../rig/rigEnv.ts";
import type { ProxyProcess } from "./proxyProcess.ts";
import { runCommand, type CommandResult } from "./runCommand.ts";

/** Writes `<work>/s3cfg` for the rig's credentials through `proxy`; returns its path. */
export async function writeS3cmdConfig(
  work: string,
  rig: RigDescriptor,
  proxy: ProxyProcess,
): Promise<string> {
  const config = join(work, "s3cfg");
  await writeFile(
    config,
    [
      "[default]",
      `access_key = ${rig.accessKeyId}`,
      `secret_key = ${rig.secretAccessKey}`,
      `bucket_location = ${rig.region}`,
      "host_base = s3.amazonaws.com",
      "host_bucket = %(bucket)s.s3.amazonaws.com",
      "use_https = True",
      "check_ssl_certificate = True",
      "proxy_host = 127.0.0.1",
      `proxy_port = ${proxy.port}`,
      `ca_certs_file = ${proxy.caFile}`,
      "signature_v2 = False",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  return config;
}

export function runS3cmd(
  config: string,
  args: readonly string[],
  timeoutMs?: number,
): Promise<CommandResult> {
  return runCommand("s3cmd", ["-c", config, "--no-progress", ...args], {
    env: cleanClientEnv(),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
