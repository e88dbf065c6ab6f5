/**
 * The AWS Region named by a KMS key ARN or alias ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`,
 * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN). KMS keys are regional,
 * so a key given as an ARN is asked for in its own Region whatever --region says; a bare key id or alias name
 * carries no Region. Undefined when `keyId` is no KMS ARN.
 */
const KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):[0-9]{12}:(?:key|alias)\/\S+$/;

export function kmsKeyRegion(keyId: string): string | undefined {
  return KMS_ARN.exec(keyId)?.[1];
}
