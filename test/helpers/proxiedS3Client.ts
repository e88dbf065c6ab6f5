/**
 * An `@aws-sdk/client-s3` client that reaches S3 names (`bucket.s3.us-east-1.amazonaws.com`) through a proxy
 * process, trusting only the proxy's CA. Node's https ignores HTTPS_PROXY, so it goes through
 * `https-proxy-agent`, whose constructor `ca` only covers the connection to the proxy itself, not the TLS
 * session it opens inside the CONNECT tunnel (NOTES.md §1): the CA is added to the per-request options that
 * session uses.
 */
import type { ClientRequest } from "node:http";
import { readFile } from "node:fs/promises";
import { S3Client } from "@aws-sdk/client-s3";
import { HttpsProxyAgent } from "https-proxy-agent";
import type { RigDescriptor } from "../rig/rigEnv.ts";
import type { ProxyProcess } from "./proxyProcess.ts";

type ConnectOpts = Parameters<HttpsProxyAgent<string>["connect"]>[1];

class TrustingProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxyUrl: string,
    private readonly tunnelCa: string,
  ) {
    super(proxyUrl);
  }
  override connect(req: ClientRequest, opts: ConnectOpts): ReturnType<HttpsProxyAgent<string>["connect"]> {
    return super.connect(req, opts.secureEndpoint ? { ...opts, ca: this.tunnelCa } : opts);
  }
}

export async function proxiedS3Client(rig: RigDescriptor, proxy: ProxyProcess): Promise<S3Client> {
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
