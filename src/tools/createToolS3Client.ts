/**
 * The S3 client of the offline tools, which talk to S3 directly (never through the proxy). It is the AWS SDK's
 * own client (@aws-sdk/client-s3) rather than the proxy's hand-made requests: the tools need listing with
 * paging, CopyObject/UploadPartCopy/CompleteMultipartUpload (whose 200 answers can carry an error document,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html), retries with backoff and region
 * redirects, all of which the SDK maintains. Settings:
 *
 * - with `--upstream-endpoint`: path-style addressing, as S3-compatible stores (Ceph, MinIO) expect, and copy
 *   conditions under radosgw's names too (legacyCopyConditions.ts);
 * - `--upstream-ca` adds trust anchors to Node's defaults, as for `serve`;
 * - credentials as `serve` resolves them (static flags or the AWS default chain, renewed before expiry);
 * - checksums only when an operation requires them: the tools send no bodies but CompleteMultipartUpload's XML,
 *   and a full-object checksum of ciphertext is nothing a reader of plaintext could use;
 * - followRegionRedirects: a bucket in another region than --region answers 301 with its region, and the SDK
 *   retries there (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTCommonResponseHeaders.html,
 *   x-amz-bucket-region).
 */
import { readFile } from "node:fs/promises";
import { Agent } from "node:https";
import { rootCertificates } from "node:tls";
import { S3Client } from "@aws-sdk/client-s3";
import type { S3AccessConfig } from "../cli/s3AccessOptions.ts";
import { proxyCredentials } from "../sigv4/proxyCredentials.ts";
import { addLegacyCopyConditions } from "./legacyCopyConditions.ts";

export async function createToolS3Client(config: S3AccessConfig, maxSockets = 50): Promise<S3Client> {
  const extraCa = config.caFile === undefined ? undefined : await readFile(config.caFile, "utf8");
  const credentials = proxyCredentials(config.credentials);
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint, forcePathStyle: true }),
    credentials: () => credentials.get(),
    followRegionRedirects: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: {
      httpsAgent: new Agent({
        keepAlive: true,
        maxSockets,
        ...(extraCa === undefined ? {} : { ca: [...rootCertificates, extraCa] }),
      }),
    },
  });
  if (config.endpoint !== undefined) addLegacyCopyConditions(client);
  return client;
}
