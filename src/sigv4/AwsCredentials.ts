/**
 * The credentials a SigV4 signature is made with. Structurally the same as smithy's `AwsCredentialIdentity`
 * (so values from `@aws-sdk/credential-providers` fit) without importing `@smithy/types`, which is not a direct
 * dependency.
 */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present for temporary credentials (STS, IRSA, ECS, IMDS): sent as `x-amz-security-token`. */
  readonly sessionToken?: string;
  /** When temporary credentials stop working; absent for long-term keys. */
  readonly expiration?: Date;
}
