/**
 * The four AWS KMS operations the `kms` key provider uses, as a narrow interface (tests substitute failures),
 * and its implementation over `@aws-sdk/client-kms`. The SDK is imported only when a KMS key is configured, so
 * a proxy with local keys does not load it.
 *
 * The SDK's own retries are off (maxAttempts 1): RetryingKeyProvider retries transient failures with an
 * injected sleep, so attempts are counted in one place. Timeouts bound a KMS endpoint that accepts connections
 * but does not answer: the request then fails with TimeoutError (unavailable, retryable) instead of holding the
 * S3 client's request open. Credentials come from the SDK's default chain (environment, shared config, web
 * identity/IRSA, container or instance role:
 * https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html), not from --access-key-id,
 * which is the proxy's identity at the S3 endpoint (often not AWS).
 */
import { concurrencyLimit } from "./concurrencyLimit.ts";

export interface KmsKeyDescription {
  /** The key ARN, whatever form of key id (id, ARN, alias) was asked about. */
  readonly arn: string;
  readonly keyState: string | undefined;
  readonly keyUsage: string | undefined;
  readonly keySpec: string | undefined;
}

export interface KmsCiphertext {
  /** The ARN of the key that encrypted, as KMS reports it. */
  readonly keyId: string;
  readonly ciphertext: Uint8Array;
}

export interface KmsPlaintext {
  readonly keyId: string;
  readonly plaintext: Uint8Array;
}

export interface KmsApi {
  describeKey(keyId: string): Promise<KmsKeyDescription>;
  encrypt(keyId: string, plaintext: Uint8Array, context: Record<string, string>): Promise<KmsCiphertext>;
  decrypt(keyId: string, ciphertext: Uint8Array, context: Record<string, string>): Promise<KmsPlaintext>;
  generateDataKey(
    keyId: string,
    numberOfBytes: number,
    context: Record<string, string>,
  ): Promise<KmsCiphertext & KmsPlaintext>;
}

export interface KmsClientOptions {
  /** undefined: the SDK's region chain (AWS_REGION, shared config). */
  readonly region?: string | undefined;
  /** Another endpoint than KMS's own for the region (tests: moto). */
  readonly endpoint?: string | undefined;
  /** Static credentials (tests); default the SDK's default chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** TCP connect limit; default 2 s. */
  readonly connectionTimeoutMs?: number;
  /** Limit for a whole request and its answer; default 5 s (KMS answers in milliseconds when healthy). */
  readonly requestTimeoutMs?: number;
}

export const DEFAULT_KMS_TIMEOUTS = { connectionTimeoutMs: 2_000, requestTimeoutMs: 5_000 } as const;

/** KMS requests in flight at most (the SDK's default socket count); more wait in concurrencyLimit.ts. */
export const KMS_MAX_SOCKETS = 50;

function required<T>(value: T | undefined, operation: string, field: string): T {
  if (value === undefined) throw new Error(`KMS ${operation} answered without ${field}`);
  return value;
}

/** A KmsApi over a new KMSClient (one per proxy: it pools connections). */
export async function createKmsApi(options: KmsClientOptions = {}): Promise<KmsApi> {
  const sdk = await import("@aws-sdk/client-kms");
  const agent = { keepAlive: true, maxSockets: KMS_MAX_SOCKETS };
  const client = new sdk.KMSClient({
    maxAttempts: 1,
    requestHandler: {
      httpAgent: agent,
      httpsAgent: agent,
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_KMS_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_KMS_TIMEOUTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...(options.region !== undefined && { region: options.region }),
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
  });
  const limit = concurrencyLimit(KMS_MAX_SOCKETS);
  return {
    async describeKey(keyId) {
      const out = await limit(() => client.send(new sdk.DescribeKeyCommand({ KeyId: keyId })));
      const meta = required(out.KeyMetadata, "DescribeKey", "KeyMetadata");
      return {
        arn: required(meta.Arn, "DescribeKey", "Arn"),
        keyState: meta.KeyState,
        keyUsage: meta.KeyUsage,
        keySpec: meta.KeySpec,
      };
    },
    async encrypt(keyId, plaintext, context) {
      const out = await limit(() =>
        client.send(
          new sdk.EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }),
        ),
      );
      return {
        keyId: required(out.KeyId, "Encrypt", "KeyId"),
        ciphertext: required(out.CiphertextBlob, "Encrypt", "CiphertextBlob"),
      };
    },
    async decrypt(keyId, ciphertext, context) {
      const out = await limit(() =>
        client.send(
          new sdk.DecryptCommand({ KeyId: keyId, CiphertextBlob: ciphertext, EncryptionContext: context }),
        ),
      );
      return {
        keyId: required(out.KeyId, "Decrypt", "KeyId"),
        plaintext: required(out.Plaintext, "Decrypt", "Plaintext"),
      };
    },
    async generateDataKey(keyId, numberOfBytes, context) {
      const out = await limit(() =>
        client.send(
          new sdk.GenerateDataKeyCommand({
            KeyId: keyId,
            NumberOfBytes: numberOfBytes,
            EncryptionContext: context,
          }),
        ),
      );
      return {
        keyId: required(out.KeyId, "GenerateDataKey", "KeyId"),
        ciphertext: required(out.CiphertextBlob, "GenerateDataKey", "CiphertextBlob"),
        plaintext: required(out.Plaintext, "GenerateDataKey", "Plaintext"),
      };
    },
  };
}
