/**
 * The environment for an AWS CLI or boto3 run through a proxy process: a clean environment (cleanClientEnv) with
 * the rig's credentials and region, HTTPS_PROXY naming the proxy's CONNECT port and AWS_CA_BUNDLE its CA, the
 * only CA the client then trusts. `extra` is applied on top.
 */
import { cleanClientEnv } from "../rig/clientEnv.ts";
import type { RigDescriptor } from "../rig/rigEnv.ts";
import type { ProxyProcess } from "./proxyProcess.ts";

export function proxiedAwsEnv(
  rig: Pick<RigDescriptor, "accessKeyId" | "secretAccessKey" | "region">,
  proxy: Pick<ProxyProcess, "port" | "caFile">,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return cleanClientEnv({
    AWS_ACCESS_KEY_ID: rig.accessKeyId,
    AWS_SECRET_ACCESS_KEY: rig.secretAccessKey,
    AWS_DEFAULT_REGION: rig.region,
    HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
    AWS_CA_BUNDLE: proxy.caFile,
    ...extra,
  });
}
