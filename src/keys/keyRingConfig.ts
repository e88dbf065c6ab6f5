/**
 * The typed configuration of the proxy's KeyRing beyond the local key source (ProxyConfig.keyFile): which
 * provider wraps new DEKs, the AWS KMS provider, and the DEK cache. The CLI fills it from --kek-provider,
 * --kms-*, --dek-cache-*; buildKeyRing.ts turns it into providers.
 *
 * Adding a provider (PKCS#11, a gRPC key service): add its kind to KEK_PROVIDER_KINDS, its settings to
 * KeyRingConfig, and its registration to keyProviderRegistrations.ts.
 */

import type { KeyServiceProviderOptions } from "./keyservice/keyServiceOptions.ts";
import type { Pkcs11ProviderOptions } from "./pkcs11/pkcs11Options.ts";

/** The values of --kek-provider. `local` is the aeskw key file / S3PROXY_KEYS / Secret directory. */
export const KEK_PROVIDER_KINDS = ["local", "kms", "pkcs11", "grpc"] as const;
export type KekProviderKind = (typeof KEK_PROVIDER_KINDS)[number];

export function isKekProviderKind(value: string): value is KekProviderKind {
  return (KEK_PROVIDER_KINDS as readonly string[]).includes(value);
}

export interface KmsProviderConfig {
  /** --kms-key-id: key id, key ARN, alias name or alias ARN of the key that wraps new DEKs. */
  readonly keyId: string;
  /** --kms-old-key-id: keys of earlier rotations (listed; Decrypt works for any key the credentials allow). */
  readonly oldKeyIds: readonly string[];
  /** --kms-endpoint: another KMS endpoint (tests: moto). */
  readonly endpoint: string | undefined;
  /** The key ARN's Region, else --region; undefined: the AWS SDK's region chain. */
  readonly region: string | undefined;
}

export interface DekCacheConfig {
  /** --dek-cache-ttl in milliseconds; 0 disables the cache. */
  readonly ttlMs: number;
  /** --dek-cache-size; 0 disables the cache. */
  readonly maxEntries: number;
}

/** 10 000 DEKs (well under 1 MiB of cache) for 5 minutes. */
export const DEFAULT_DEK_CACHE: DekCacheConfig = { ttlMs: 5 * 60_000, maxEntries: 10_000 };

export interface KeyRingConfig {
  /** --kek-provider; undefined: the first configured of `kms`, `pkcs11`, `grpc`, else `local`. */
  readonly kekProvider: KekProviderKind | undefined;
  readonly kms: KmsProviderConfig | undefined;
  /** --pkcs11-*: the PKCS#11 HSM provider (docs/KEYS.md). */
  readonly pkcs11?: Pkcs11ProviderOptions | undefined;
  /** --keyservice-*: the gRPC key service provider (docs/KEYS.md). */
  readonly keyService?: KeyServiceProviderOptions | undefined;
  readonly dekCache: DekCacheConfig;
}

export const DEFAULT_KEY_RING_CONFIG: KeyRingConfig = {
  kekProvider: undefined,
  kms: undefined,
  dekCache: DEFAULT_DEK_CACHE,
};

/** The provider that wraps new DEKs. */
export function activeKekProvider(config: KeyRingConfig): KekProviderKind {
  if (config.kekProvider !== undefined) return config.kekProvider;
  if (config.kms !== undefined) return "kms";
  if (config.pkcs11 !== undefined) return "pkcs11";
  return config.keyService !== undefined ? "grpc" : "local";
}
