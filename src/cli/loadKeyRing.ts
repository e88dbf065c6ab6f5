/**
 * The keys of every command, built one way (docs/KEYS.md): the local KEK source (--key-file, else the
 * S3PROXY_KEYS variable, else the development key file) plus the remote providers the key-ring flags configure
 * (--kms-key-id, …), one of them active (--kek-provider).
 *
 * Only `serve` ever creates the development key file, on first run and with a loud warning (it is the only key
 * to everything written with it), and only when local keys wrap new DEKs. Otherwise (another provider wraps,
 * or an offline tool runs) the development file is read if it exists, so objects written with it stay readable.
 */
import { access } from "node:fs/promises";
import { resolve } from "node:path";
import type { Logger } from "pino";
import {
  activeKekProvider,
  buildKeyRing,
  createDevelopmentKeyFile,
  DEFAULT_KEYS_ENV,
  loadLocalKeyProvider,
  remoteKeyProviders,
  type KeyProvider,
  type KeyRing,
} from "../keys/index.ts";
import { DEV_KEY_FILE } from "./devKeyFile.ts";
import type { KeyConfig } from "./keyOptions.ts";

export interface LoadKeyRingOptions {
  /** `serve`: create the development key file when local keys wrap and nothing else is configured. */
  readonly createDevelopmentKey: boolean;
  /** Where `serve` logs the development-key warnings; the tools pass none. */
  readonly log?: Logger;
}

async function localKeyProvider(
  config: KeyConfig,
  options: LoadKeyRingOptions,
  writesNewDeks: boolean,
): Promise<KeyProvider | undefined> {
  if (config.keyFile !== undefined) return loadLocalKeyProvider({ kind: "file", path: config.keyFile });
  const envKeys = process.env[DEFAULT_KEYS_ENV];
  if (envKeys !== undefined && envKeys.trim() !== "") {
    return loadLocalKeyProvider({ kind: "env", name: DEFAULT_KEYS_ENV, env: process.env });
  }
  if (!writesNewDeks || !options.createDevelopmentKey) {
    const exists = await access(resolve(DEV_KEY_FILE)).then(
      () => true,
      () => false,
    );
    return exists ? loadLocalKeyProvider({ kind: "file", path: resolve(DEV_KEY_FILE) }) : undefined;
  }
  const log = options.log;
  const dev = await createDevelopmentKeyFile(resolve(DEV_KEY_FILE));
  if (dev.created) {
    log?.warn(
      { keyFile: dev.path, kekId: dev.kekId },
      "CREATED A DEVELOPMENT KEY-ENCRYPTION KEY: every object written through this proxy can only be read " +
        "with this file. BACK IT UP NOW, and use a key you manage (--key-file, S3PROXY_KEYS) for real data.",
    );
    process.stderr.write(
      `\n!!! s3proxy created a development KEK in ${dev.path}.\n` +
        "!!! Objects written through this proxy are unreadable without it: BACK IT UP.\n\n",
    );
  } else {
    log?.warn(
      { keyFile: dev.path },
      "using the development KEK file; back it up, and use a managed key for real data",
    );
  }
  return loadLocalKeyProvider({ kind: "file", path: dev.path });
}

export async function loadKeyRing(config: KeyConfig, options: LoadKeyRingOptions): Promise<KeyRing> {
  const active = activeKekProvider(config.keyRing);
  const local = await localKeyProvider(config, options, active === "local");
  if (local === undefined && active === "local") {
    throw new Error(
      `no keys configured: use --key-file, set ${DEFAULT_KEYS_ENV}, or configure a KMS key ` +
        `(and there is no ${DEV_KEY_FILE} here)`,
    );
  }
  const localRegistration = { kind: "local", remote: false, create: () => Promise.resolve(local!) };
  return buildKeyRing(
    [...(local === undefined ? [] : [localRegistration]), ...remoteKeyProviders(config.keyRing)],
    {
      active,
      dekCache: config.keyRing.dekCache,
    },
  );
}
