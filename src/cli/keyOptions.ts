/**
 * The key-configuration flags every command that touches KEKs shares (`serve`, `inspect --verify`, `decrypt`,
 * `rewrap`), and their typed form, so the tools read keys exactly the way the proxy does (loadKeyRing.ts,
 * docs/KEYS.md).
 */
import { resolve } from "node:path";
import type { Argv } from "yargs";
import { parseKeyRingOptions } from "../config/parseKeyRingOptions.ts";
import { DEFAULT_DEK_CACHE, KEK_PROVIDER_KINDS, type KeyRingConfig } from "../keys/index.ts";
import { DEV_KEY_FILE } from "./devKeyFile.ts";
import {
  keyProviderOptions,
  type KeyProviderFlags,
  keyServiceConfig,
  pkcs11Config,
} from "./keyProviderFlags.ts";

export function keyOptions<T>(y: Argv<T>) {
  return keyProviderOptions(
    y
      .option("key-file", {
        type: "string",
        describe: `KEK file (docs/KEYS.md); default: the S3PROXY_KEYS variable if set, else ${DEV_KEY_FILE} (created on first run by serve)`,
      })
      // S3PROXY_KEYS is read from the environment by loadKeyRing(); declared (hidden) only so that yargs' env
      // parsing under .strict() accepts it. Never as a flag: ps would show the keys.
      .option("keys", { type: "string", hidden: true })
      .option("kek-provider", {
        type: "string",
        choices: KEK_PROVIDER_KINDS,
        describe: "the key provider that wraps new DEKs (default: kms with --kms-key-id, else local)",
      })
      .option("kms-key-id", {
        type: "string",
        describe: "AWS KMS key (id, ARN, alias/name) that wraps new DEKs; credentials: the AWS default chain",
      })
      .option("kms-old-key-id", {
        type: "string",
        array: true,
        default: [] as string[],
        describe: "KMS key of an earlier rotation, listed as this proxy's (repeatable)",
      })
      .option("kms-endpoint", { type: "string", describe: "KMS endpoint URL (tests: moto)" })
      .option("dek-cache-ttl", {
        type: "number",
        default: DEFAULT_DEK_CACHE.ttlMs / 1000,
        describe: "seconds an unwrapped KMS DEK is reused (0 disables the DEK cache)",
      })
      .option("dek-cache-size", {
        type: "number",
        default: DEFAULT_DEK_CACHE.maxEntries,
        describe: "unwrapped KMS DEKs kept at most (0 disables the DEK cache)",
      }),
  );
}

export interface KeyFlags extends KeyProviderFlags {
  readonly "key-file"?: string | undefined;
  readonly "kek-provider"?: string | undefined;
  readonly "kms-key-id"?: string | undefined;
  readonly "kms-old-key-id": readonly string[];
  readonly "kms-endpoint"?: string | undefined;
  readonly "dek-cache-ttl": number;
  readonly "dek-cache-size": number;
  /** --region: the KMS Region when the KMS key id names none. */
  readonly region?: string | undefined;
}

/** What loadKeyRing needs: the local key source and the key ring's providers. */
export interface KeyConfig {
  /** `--key-file`, resolved; undefined = S3PROXY_KEYS, else the development key file. */
  readonly keyFile: string | undefined;
  readonly keyRing: KeyRingConfig;
}

export function keyConfig(a: KeyFlags): KeyConfig {
  return {
    keyFile: a["key-file"] === undefined ? undefined : resolve(a["key-file"]),
    keyRing: parseKeyRingOptions({
      kekProvider: a["kek-provider"],
      kmsKeyId: a["kms-key-id"],
      kmsOldKeyIds: a["kms-old-key-id"],
      kmsEndpoint: a["kms-endpoint"],
      region: a.region,
      dekCacheTtlSeconds: a["dek-cache-ttl"],
      dekCacheSize: a["dek-cache-size"],
      pkcs11: pkcs11Config(a),
      keyService: keyServiceConfig(a),
    }),
  };
}

/** Keys are never taken from the command line, where `ps` shows them to every user. */
export function refuseKeysFlag(argv: readonly string[]): void {
  if (argv.some((arg) => arg === "--keys" || arg.startsWith("--keys="))) {
    throw new Error("keys are never taken as a flag: set S3PROXY_KEYS or use --key-file");
  }
}
