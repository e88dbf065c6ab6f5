/**
 * The AWS credentials a command signs S3 requests with, from `--access-key-id`/`--secret-access-key` (both or
 * neither), else the AWS default credential chain (src/sigv4/proxyCredentials.ts).
 */
import type { ProxyCredentialsConfig } from "../sigv4/proxyCredentials.ts";

export interface CredentialFlags {
  readonly "access-key-id"?: string | undefined;
  readonly "secret-access-key"?: string | undefined;
  readonly region?: string | undefined;
}

export function credentialsConfig(a: CredentialFlags): ProxyCredentialsConfig {
  const id = a["access-key-id"];
  const secret = a["secret-access-key"];
  if ((id === undefined) !== (secret === undefined)) {
    throw new Error("--access-key-id and --secret-access-key go together");
  }
  if (id !== undefined && secret !== undefined)
    return { kind: "static", accessKeyId: id, secretAccessKey: secret };
  return a.region === undefined ? { kind: "default-chain" } : { kind: "default-chain", region: a.region };
}
