/**
 * How the offline tools (`inspect`, `decrypt`, `rewrap`) reach S3 directly, never through the proxy: the same
 * flag names as `serve`'s upstream settings, so one set of S3PROXY_* variables configures both.
 */
import { resolve } from "node:path";
import type { Argv } from "yargs";
import type { ProxyCredentialsConfig } from "../sigv4/proxyCredentials.ts";
import { credentialsConfig } from "./credentialsConfig.ts";

export function s3AccessOptions<T>(y: Argv<T>) {
  return y
    .option("upstream-endpoint", {
      type: "string",
      describe: "S3-compatible endpoint (scheme://host:port, path-style addressing); default: AWS S3",
    })
    .option("upstream-ca", {
      type: "string",
      describe: "PEM file of extra CAs trusted for the endpoint's TLS",
    })
    .option("region", {
      type: "string",
      describe: "signing region; default AWS_REGION, else us-east-1 (AWS redirects to the bucket's region)",
    })
    .option("access-key-id", {
      type: "string",
      describe: "access key (else the AWS default credential chain)",
    })
    .option("secret-access-key", {
      type: "string",
      describe: "with --access-key-id; prefer S3PROXY_SECRET_ACCESS_KEY (ps shows flags)",
    });
}

export interface S3AccessConfig {
  readonly endpoint: string | undefined;
  readonly caFile: string | undefined;
  readonly region: string;
  readonly credentials: ProxyCredentialsConfig;
}

export interface S3AccessFlags {
  readonly "upstream-endpoint"?: string | undefined;
  readonly "upstream-ca"?: string | undefined;
  readonly region?: string | undefined;
  readonly "access-key-id"?: string | undefined;
  readonly "secret-access-key"?: string | undefined;
}

export function s3AccessConfig(a: S3AccessFlags, env: NodeJS.ProcessEnv = process.env): S3AccessConfig {
  const region = a.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  return {
    endpoint: a["upstream-endpoint"],
    caFile: a["upstream-ca"] === undefined ? undefined : resolve(a["upstream-ca"]),
    region,
    credentials: credentialsConfig({ ...a, region }),
  };
}
