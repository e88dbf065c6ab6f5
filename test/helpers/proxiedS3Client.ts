/**
 * An `@aws-sdk/client-s3` client that addresses `bucket.s3.<region>.amazonaws.com` as an application would and
 * reaches it through a proxy's CONNECT port (TrustingProxyAgent), trusting only the proxy's CA.
 */
import { readFile } from "node:fs/promises";
import { S3Client } from "@aws-sdk/client-s3";
import type { RigDescriptor } from "../rig/rigEnv.ts";
import type { ProxyProcess } from "./proxyProcess.ts";
import { TrustingProxyAgent } from "./trustingProxyAgent.ts";

export async function proxiedS3Client(
  rig: Pick<RigDescriptor, "region" | "accessKeyId" | "secretAccessKey">,
  proxy: Pick<ProxyProcess, "port" | "caFile">,
): Promise<S3Client> {
  const agent = new TrustingProxyAgent(
    `http://127.0.0.1:${proxy.port}`,
    await readFile(proxy.caFile, "utf8"),
  );
  return new S3Client({
    region: rig.region,
    credentials: { accessKeyId: rig.accessKeyId, secretAccessKey: rig.secretAccessKey },
    requestHandler: { httpsAgent: agent },
  });
}
