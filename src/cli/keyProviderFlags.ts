/**
 * The flags of the PKCS#11 (`--pkcs11-*`) and key service (`--keyservice-*`) key providers (docs/KEYS.md), for
 * every command that reads keys, and their typed options (Pkcs11ProviderOptions, KeyServiceProviderOptions), or
 * undefined when a provider is not configured. Pure: files are read when the providers open.
 *
 * The HSM's PIN is never a flag (`ps` shows flags to every user): it comes from the S3PROXY_PKCS11_PIN
 * environment variable or from --pkcs11-pin-file. `pkcs11-pin` is declared (hidden) only so that yargs' env
 * parsing under .strict() accepts S3PROXY_PKCS11_PIN; giving it as a flag is refused.
 */
import { resolve } from "node:path";
import type { Argv } from "yargs";
import {
  DEFAULT_KEYSERVICE_TIMEOUT_MS,
  type KeyServiceProviderOptions,
} from "../keys/keyservice/keyServiceOptions.ts";
import { DEFAULT_PKCS11_SESSIONS, type Pkcs11ProviderOptions } from "../keys/pkcs11/pkcs11Options.ts";
import { DEFAULT_PKCS11_PIN_ENV } from "../keys/pkcs11/readPkcs11Pin.ts";

export function keyProviderOptions<T>(y: Argv<T>) {
  return y
    .option("pkcs11-module", {
      type: "string",
      describe: "PKCS#11 library of the HSM holding the KEKs (e.g. /usr/lib/softhsm/libsofthsm2.so)",
    })
    .option("pkcs11-token", { type: "string", describe: "label of the HSM token (or --pkcs11-slot)" })
    .option("pkcs11-slot", {
      type: "number",
      describe: "slot id of the HSM token (instead of --pkcs11-token)",
    })
    .option("pkcs11-key", { type: "string", describe: "CKA_LABEL of the HSM key that wraps new DEKs" })
    .option("pkcs11-old-key", {
      type: "string",
      array: true,
      default: [] as string[],
      describe: "CKA_LABEL of an older HSM key that still unwraps (repeatable)",
    })
    .option("pkcs11-pin-file", {
      type: "string",
      describe: `file holding the HSM user PIN (mode 0600/0400/0440); default: the ${DEFAULT_PKCS11_PIN_ENV} variable`,
    })
    .option("pkcs11-pin", { type: "string", hidden: true })
    .option("pkcs11-sessions", {
      type: "number",
      default: DEFAULT_PKCS11_SESSIONS,
      describe: "HSM sessions (calls in flight) at most",
    })
    .option("keyservice-endpoint", {
      type: "string",
      describe: "host:port of the key service (Constellation's keyservice API) to fetch KEKs from",
    })
    .option("keyservice-kek", { type: "string", describe: "key service id of the KEK that wraps new DEKs" })
    .option("keyservice-old-kek", {
      type: "string",
      array: true,
      default: [] as string[],
      describe: "key service id of an older KEK that still unwraps (repeatable)",
    })
    .option("keyservice-insecure", {
      type: "boolean",
      default: false,
      describe: "talk to the key service without TLS (inside a trusted cluster network only)",
    })
    .option("keyservice-ca", { type: "string", describe: "PEM CA bundle to verify the key service with" })
    .option("keyservice-cert", {
      type: "string",
      describe: "PEM client certificate for the key service (mTLS)",
    })
    .option("keyservice-key", { type: "string", describe: "PEM client key for the key service (mode 0600)" })
    .option("keyservice-server-name", {
      type: "string",
      describe: "name expected in the key service's certificate, if not the endpoint's host",
    })
    .option("keyservice-timeout", {
      type: "number",
      default: DEFAULT_KEYSERVICE_TIMEOUT_MS / 1000,
      describe: "seconds one key service call may take",
    });
}

export interface KeyProviderFlags {
  readonly "pkcs11-module"?: string | undefined;
  readonly "pkcs11-token"?: string | undefined;
  readonly "pkcs11-slot"?: number | undefined;
  readonly "pkcs11-key"?: string | undefined;
  readonly "pkcs11-old-key"?: readonly string[] | undefined;
  readonly "pkcs11-pin-file"?: string | undefined;
  readonly "pkcs11-sessions"?: number | undefined;
  readonly "keyservice-endpoint"?: string | undefined;
  readonly "keyservice-kek"?: string | undefined;
  readonly "keyservice-old-kek"?: readonly string[] | undefined;
  readonly "keyservice-insecure"?: boolean | undefined;
  readonly "keyservice-ca"?: string | undefined;
  readonly "keyservice-cert"?: string | undefined;
  readonly "keyservice-key"?: string | undefined;
  readonly "keyservice-server-name"?: string | undefined;
  readonly "keyservice-timeout"?: number | undefined;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value.trim();

/** A library path with a directory is resolved; a bare name is left to the dynamic loader's search path. */
const libraryPath = (path: string): string => (path.includes("/") ? resolve(path) : path);

/** The PKCS#11 provider's options, or undefined without --pkcs11-module and --pkcs11-key. */
export function pkcs11Config(
  a: KeyProviderFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
  argv: readonly string[] = process.argv,
): Pkcs11ProviderOptions | undefined {
  if (argv.some((arg) => arg === "--pkcs11-pin" || arg.startsWith("--pkcs11-pin="))) {
    throw new Error(
      `the HSM PIN is never taken as a flag: set ${DEFAULT_PKCS11_PIN_ENV} or use --pkcs11-pin-file`,
    );
  }
  const module = nonEmpty(a["pkcs11-module"]);
  const label = nonEmpty(a["pkcs11-token"]);
  const slot = a["pkcs11-slot"];
  const key = nonEmpty(a["pkcs11-key"]);
  const oldKeys = (a["pkcs11-old-key"] ?? []).map((k) => k.trim()).filter((k) => k !== "");
  const pinFile = nonEmpty(a["pkcs11-pin-file"]);
  const any = [module, label, slot, key, pinFile].some((v) => v !== undefined) || oldKeys.length > 0;
  if (!any) return undefined;
  if (module === undefined || key === undefined) {
    throw new Error("the PKCS#11 key provider needs --pkcs11-module and --pkcs11-key (docs/KEYS.md)");
  }
  if ((label === undefined) === (slot === undefined)) {
    throw new Error("the PKCS#11 key provider needs exactly one of --pkcs11-token and --pkcs11-slot");
  }
  return {
    module: libraryPath(module),
    token: label !== undefined ? { label } : { slotId: slot! },
    pin:
      pinFile !== undefined
        ? { kind: "file", path: resolve(pinFile) }
        : { kind: "env", name: DEFAULT_PKCS11_PIN_ENV, env },
    activeKeyLabel: key,
    oldKeyLabels: oldKeys,
    maxSessions: a["pkcs11-sessions"] ?? DEFAULT_PKCS11_SESSIONS,
  };
}

/** The key service provider's options, or undefined without --keyservice-endpoint and --keyservice-kek. */
export function keyServiceConfig(a: KeyProviderFlags): KeyServiceProviderOptions | undefined {
  const endpoint = nonEmpty(a["keyservice-endpoint"]);
  const kek = nonEmpty(a["keyservice-kek"]);
  const oldKeks = (a["keyservice-old-kek"] ?? []).map((k) => k.trim()).filter((k) => k !== "");
  const ca = nonEmpty(a["keyservice-ca"]);
  const cert = nonEmpty(a["keyservice-cert"]);
  const key = nonEmpty(a["keyservice-key"]);
  const serverName = nonEmpty(a["keyservice-server-name"]);
  const tlsFlags = [ca, cert, key, serverName].some((v) => v !== undefined);
  const any = endpoint !== undefined || kek !== undefined || oldKeks.length > 0 || tlsFlags;
  if (!any) return undefined;
  if (endpoint === undefined || kek === undefined) {
    throw new Error(
      "the key service provider needs --keyservice-endpoint and --keyservice-kek (docs/KEYS.md)",
    );
  }
  const insecure = a["keyservice-insecure"] ?? false;
  if (insecure && tlsFlags) {
    throw new Error(
      "--keyservice-insecure turns TLS off: --keyservice-ca/-cert/-key/-server-name do not apply",
    );
  }
  return {
    endpoint,
    transport: insecure
      ? { kind: "insecure" }
      : {
          kind: "tls",
          ...(ca !== undefined && { caFile: resolve(ca) }),
          ...(cert !== undefined && { certFile: resolve(cert) }),
          ...(key !== undefined && { keyFile: resolve(key) }),
          ...(serverName !== undefined && { serverName }),
        },
    activeKekId: kek,
    oldKekIds: oldKeks,
    timeoutMs: Math.round((a["keyservice-timeout"] ?? DEFAULT_KEYSERVICE_TIMEOUT_MS / 1000) * 1000),
  };
}
