/**
 * The one place the proxy configures smithy's SigV4 signer (the implementation behind the AWS SDK for
 * JavaScript v3, https://github.com/smithy-lang/smithy-typescript/tree/main/packages/signature-v4), set up for
 * S3 as S3 verifies:
 * - `uriEscapePath: false` — S3 encodes the path once, with no dot-segment or `//` normalisation ("Each path
 *   segment must be URI-encoded twice (except for Amazon S3 which only gets URI-encoded once)",
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). smithy's default would
 *   normalise and encode again, so keys like `a//b`, `./x` and `%2F` would be signed as another path. Callers
 *   pass the CanonicalURI (canonicalPath.ts), which smithy then uses verbatim.
 * - `applyChecksum: false` — the caller always supplies x-amz-content-sha256 (UNSIGNED-PAYLOAD or the SHA-256
 *   of the bytes it will send); the signer never sees or hashes a body.
 */
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentials } from "./AwsCredentials.ts";

export function createSigner(credentials: AwsCredentials, region: string, service: string): SignatureV4 {
  return new SignatureV4({
    credentials,
    region,
    service,
    sha256: Hash.bind(null, "sha256"),
    applyChecksum: false,
    uriEscapePath: false,
  });
}
