/**
 * The key-ring flags of `s3proxy serve` (--kek-provider, --kms-key-id, --kms-old-key-id, --kms-endpoint,
 * --dek-cache-ttl, --dek-cache-size) as a typed KeyRingConfig, checked: no I/O, so it is tested directly.
 * The KMS Region is the key ARN's own when the key is given as an ARN (KMS keys are regional), else --region.
 */
import { isKekProviderKind, KEK_PROVIDER_KINDS, kmsKeyRegion, type KeyRingConfig } from "../keys/index.ts";
import type { KeyServiceProviderOptions } from "../keys/keyservice/keyServiceOptions.ts";
import type { Pkcs11ProviderOptions } from "../keys/pkcs11/pkcs11Options.ts";

export interface KeyRingOptions {
  readonly kekProvider: string | undefined;
  readonly kmsKeyId: string | undefined;
  readonly kmsOldKeyIds: readonly string[];
  readonly kmsEndpoint: string | undefined;
  /** --region: the KMS Region when the key id carries none. */
  readonly region: string | undefined;
  readonly dekCacheTtlSeconds: number;
  readonly dekCacheSize: number;
  /** --pkcs11-*, as src/cli/keyProviderFlags.ts reads them. */
  readonly pkcs11?: Pkcs11ProviderOptions | undefined;
  /** --keyservice-*, as src/cli/keyProviderFlags.ts reads them. */
  readonly keyService?: KeyServiceProviderOptions | undefined;
}

function nonNegative(value: number, flag: string, integer: boolean): number {
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isSafeInteger(value))) {
    throw new Error(
      `${flag} must be a non-negative ${integer ? "integer" : "number"} (0 disables the DEK cache)`,
    );
  }
  return value;
}

export function parseKeyRingOptions(o: KeyRingOptions): KeyRingConfig {
  if (o.kekProvider !== undefined && !isKekProviderKind(o.kekProvider)) {
    throw new Error(`--kek-provider must be one of ${KEK_PROVIDER_KINDS.join(", ")}`);
  }
  const keyId = o.kmsKeyId?.trim();
  if (keyId === undefined || keyId === "") {
    if (o.kmsOldKeyIds.length > 0 || o.kmsEndpoint !== undefined) {
      throw new Error("--kms-old-key-id and --kms-endpoint need --kms-key-id");
    }
    if (o.kekProvider === "kms") throw new Error("--kek-provider kms needs --kms-key-id");
  }
  if (o.kekProvider === "pkcs11" && o.pkcs11 === undefined) {
    throw new Error(
      "--kek-provider pkcs11 needs --pkcs11-module, --pkcs11-token or --pkcs11-slot, --pkcs11-key",
    );
  }
  if (o.kekProvider === "grpc" && o.keyService === undefined) {
    throw new Error("--kek-provider grpc needs --keyservice-endpoint and --keyservice-kek");
  }
  const ttlSeconds = nonNegative(o.dekCacheTtlSeconds, "--dek-cache-ttl", false);
  return {
    kekProvider: o.kekProvider,
    kms:
      keyId === undefined || keyId === ""
        ? undefined
        : {
            keyId,
            oldKeyIds: o.kmsOldKeyIds.map((id) => id.trim()).filter((id) => id !== ""),
            endpoint: o.kmsEndpoint,
            region: kmsKeyRegion(keyId) ?? o.region,
          },
    ...(o.pkcs11 !== undefined && { pkcs11: o.pkcs11 }),
    ...(o.keyService !== undefined && { keyService: o.keyService }),
    dekCache: {
      ttlMs: Math.round(ttlSeconds * 1000),
      maxEntries: nonNegative(o.dekCacheSize, "--dek-cache-size", true),
    },
  };
}
