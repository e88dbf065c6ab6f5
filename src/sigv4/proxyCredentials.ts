/**
 * The proxy's own AWS credentials, used to re-sign upstream requests. Two sources:
 * - `static`: keys from configuration (tests, fixed deployments, non-AWS S3 such as Ceph or MinIO);
 * - `default-chain`: the AWS SDK's Node default chain, `fromNodeProviderChain()`
 *   (https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-credential-providers/#fromnodeproviderchain):
 *   environment variables, SSO, shared config/credentials files (incl. role assumption and credential_process),
 *   web identity token files (EKS IRSA), then ECS/EKS container credentials or EC2 instance metadata (IMDS;
 *   `AWS_EC2_METADATA_DISABLED=true` turns it off).
 * Either way the result is wrapped in refreshingCredentials.ts, which caches and renews expiring credentials
 * before they lapse.
 */
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { AwsCredentials } from "./AwsCredentials.ts";
import {
  refreshingCredentials,
  type ProxyCredentials,
  type RefreshOptions,
} from "./refreshingCredentials.ts";

export type ProxyCredentialsConfig =
  | {
      readonly kind: "static";
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken?: string;
    }
  | {
      readonly kind: "default-chain";
      /** A shared-config profile instead of AWS_PROFILE / "default". */
      readonly profile?: string;
      /** Region for the STS/SSO calls some links make (else the SDK's region resolution). */
      readonly region?: string;
    };

function staticSource(config: Extract<ProxyCredentialsConfig, { kind: "static" }>) {
  const creds: AwsCredentials = {
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    ...(config.sessionToken !== undefined && { sessionToken: config.sessionToken }),
  };
  return () => Promise.resolve(creds);
}

function defaultChainSource(config: Extract<ProxyCredentialsConfig, { kind: "default-chain" }>) {
  return fromNodeProviderChain({
    ...(config.profile !== undefined && { profile: config.profile }),
    ...(config.region !== undefined && { clientConfig: { region: config.region } }),
  });
}

export function proxyCredentials(
  config: ProxyCredentialsConfig,
  options: RefreshOptions = {},
): ProxyCredentials {
  const source = config.kind === "static" ? staticSource(config) : defaultChainSource(config);
  return refreshingCredentials(source, options);
}
