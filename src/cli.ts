/**
 * The `s3proxy` command line (yargs). `serve` (the default) runs the proxy; `ca init` creates the interception
 * CA explicitly. Every flag can also be given as an S3PROXY_* environment variable (e.g. S3PROXY_LISTEN).
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import { DEFAULTS, DEFAULT_TIMEOUTS, parseListenAddress, type ProxyConfig } from "./config/ProxyConfig.ts";
import { legacyConfig, legacyOptions, loadLegacyReader } from "./cli/legacyOptions.ts";
import { DEFAULT_LEGACY_CONFIG } from "./legacy/index.ts";
import { createLogger } from "./log/createLogger.ts";
import { parseAllowPorts } from "./net/routePolicy.ts";
import type { Logger } from "pino";
import { credentialsConfig } from "./cli/credentialsConfig.ts";
import { keyConfig, keyOptions, refuseKeysFlag } from "./cli/keyOptions.ts";
import { loadKeyRing } from "./cli/loadKeyRing.ts";
import { DEFAULT_KEY_RING_CONFIG } from "./keys/index.ts";
import {
  DEFAULT_LIST_SIZES,
  isListSizesPolicy,
  LIST_SIZES_POLICIES,
  type ListSizesPolicy,
} from "./listing/listSizesPolicy.ts";
import { encryptingStep } from "./pipeline/encryptingStep.ts";
import type { InterceptStep } from "./pipeline/Exchange.ts";
import { passThroughStep } from "./pipeline/passThroughStep.ts";
import { ProxyServer } from "./proxy/ProxyServer.ts";
import { proxyCredentials } from "./sigv4/proxyCredentials.ts";
import { createCa, loadOrCreateCa, CA_CERT_FILE } from "./tls/caStore.ts";
import { decryptHandler, decryptOptions } from "./tools/decryptCommand.ts";
import { inspectHandler, inspectOptions } from "./tools/inspectCommand.ts";
import { rewrapHandler, rewrapOptions } from "./tools/rewrap/rewrapCommand.ts";
import { migrateHandler, migrateOptions } from "./migrate/migrateCommand.ts";

function serveOptions(y: Argv) {
  return (
    // The key flags (--key-file, --kms-*, …) are shared with the offline tools: src/cli/keyOptions.ts.
    keyOptions(legacyOptions(y))
      .option("listen", {
        type: "string",
        default: DEFAULTS.listen,
        describe: "forward proxy address (host:port)",
      })
      .option("transparent-listen", {
        type: "string",
        describe: "also accept redirected TLS/HTTP here (host:port), routed by SNI / Host",
      })
      .option("ca-dir", {
        type: "string",
        default: DEFAULTS.caDir,
        describe: "directory of ca.pem / ca-key.pem",
      })
      .option("intercept", {
        type: "string",
        array: true,
        default: [] as string[],
        describe: "extra host to intercept (exact or *.suffix); repeatable",
      })
      .option("default-intercept", {
        type: "boolean",
        default: true,
        describe: "intercept the built-in S3 host patterns (--no-default-intercept to disable)",
      })
      .option("allow-ports", {
        type: "string",
        default: DEFAULTS.allowPorts,
        describe: "destination ports clients may reach, comma-separated, or *",
      })
      .option("upstream-endpoint", {
        type: "string",
        describe: "send intercepted requests to this S3-compatible endpoint (scheme://host:port)",
      })
      .option("upstream-ca", { type: "string", describe: "PEM file of extra CAs trusted for upstream TLS" })
      .option("idle-timeout", {
        type: "number",
        default: DEFAULT_TIMEOUTS.idleMs / 1000,
        describe: "seconds",
      })
      .option("headers-timeout", {
        type: "number",
        default: DEFAULT_TIMEOUTS.headersMs / 1000,
        describe: "seconds",
      })
      .option("region", {
        type: "string",
        default: DEFAULTS.region,
        describe: "region to sign upstream requests for when the S3 host names none",
      })
      .option("access-key-id", {
        type: "string",
        describe: "the proxy's own access key (else the AWS default credential chain)",
      })
      .option("secret-access-key", {
        type: "string",
        describe: "with --access-key-id; prefer S3PROXY_SECRET_ACCESS_KEY (ps shows flags)",
      })
      .option("list-sizes", {
        type: "string",
        default: DEFAULT_LIST_SIZES,
        choices: LIST_SIZES_POLICIES,
        describe:
          "LIST sizes/ETags: head (HEAD unknown objects, cached; exact), math (size arithmetic only; " +
          "buckets written only through the proxy), off (as stored)",
      })
      .option("passthrough", {
        type: "boolean",
        default: false,
        describe: "DANGER: forward object data unencrypted (development and tests of the proxy core only)",
      })
      .option("log-level", {
        type: "string",
        default: DEFAULTS.logLevel,
        choices: ["debug", "info", "warn", "error"],
      })
  );
}

type ServeArgs = Awaited<ReturnType<typeof serveOptions>["argv"]>;

async function interceptStep(config: ProxyConfig, log: Logger): Promise<InterceptStep> {
  const continueTimeoutMs = config.timeouts.expectContinueMs;
  if (config.passthrough) return passThroughStep({ continueTimeoutMs });
  const keys = await loadKeyRing(
    { keyFile: config.keyFile, keyRing: config.keyRing ?? DEFAULT_KEY_RING_CONFIG },
    { createDevelopmentKey: true, log },
  );
  log.info(
    {
      scheme: keys.scheme,
      activeKek: keys.activeKekId(),
      schemes: keys.schemes,
      dekCache: config.keyRing?.dekCache,
    },
    "encryption keys loaded",
  );
  return encryptingStep({
    keys,
    credentials: proxyCredentials(config.credentials ?? { kind: "default-chain" }),
    region: config.region ?? DEFAULTS.region,
    continueTimeoutMs,
    listSizes: config.listSizes ?? DEFAULT_LIST_SIZES,
    legacy: await loadLegacyReader(config.legacy ?? DEFAULT_LEGACY_CONFIG, log),
  });
}

function listSizesPolicy(value: string): ListSizesPolicy {
  if (!isListSizesPolicy(value))
    throw new Error(`--list-sizes must be one of ${LIST_SIZES_POLICIES.join(", ")}`);
  return value;
}

function toConfig(a: ServeArgs): ProxyConfig {
  refuseKeysFlag(process.argv);
  return {
    listen: parseListenAddress(a.listen),
    transparentListen: a["transparent-listen"] ? parseListenAddress(a["transparent-listen"]) : undefined,
    caDir: resolve(a["ca-dir"]),
    intercept: a.intercept,
    defaultIntercept: a["default-intercept"],
    allowPorts: parseAllowPorts(a["allow-ports"]),
    upstreamEndpoint: a["upstream-endpoint"],
    upstreamCaFile: a["upstream-ca"],
    passthrough: a.passthrough,
    listSizes: listSizesPolicy(a["list-sizes"]),
    legacy: legacyConfig(a),
    ...keyConfig(a),
    region: a.region,
    credentials: credentialsConfig(a),
    maxHeaderBytes: DEFAULTS.maxHeaderBytes,
    timeouts: {
      ...DEFAULT_TIMEOUTS,
      idleMs: a["idle-timeout"] * 1000,
      headersMs: a["headers-timeout"] * 1000,
    },
    logLevel: a["log-level"],
  };
}

async function serve(config: ProxyConfig): Promise<void> {
  const log = createLogger(config.logLevel);
  const ca = await loadOrCreateCa(config.caDir);
  if (ca.created)
    log.warn({ cert: ca.certPath, fingerprint: ca.fingerprint }, "created a new interception CA");
  else log.info({ cert: ca.certPath, fingerprint: ca.fingerprint }, "loaded interception CA");
  if (ca.keyModeWarning) log.warn(ca.keyModeWarning);
  if (config.passthrough) {
    log.warn("--passthrough: object data is forwarded UNENCRYPTED; never use this against real data");
  }
  const upstreamCaPem = config.upstreamCaFile ? await readFile(config.upstreamCaFile, "utf8") : undefined;
  const server = new ProxyServer({
    config,
    log,
    issuer: ca,
    step: await interceptStep(config, log),
    ...(upstreamCaPem ? { upstreamCaPem } : {}),
  });
  const { forward, transparent } = await server.start();
  const host = forward.family === "IPv6" ? `[${forward.address}]` : forward.address;
  log.info({ forward, transparent }, "s3proxy listening");
  // The two lines a user needs, on stderr so they stay readable next to JSON logs.
  process.stderr.write(
    `\ns3proxy is ready. In the shell of your S3 client:\n` +
      `  export HTTPS_PROXY=http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${forward.port}\n` +
      `  export AWS_CA_BUNDLE=${ca.certPath}\n` +
      (transparent
        ? `Transparent listener on ${transparent.address}:${transparent.port} (redirect TLS for S3 names here).\n`
        : "") +
      "\n",
  );
  const shutdown = (signal: string): void => {
    log.info({ signal }, "shutting down");
    void server.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

await yargs(hideBin(process.argv))
  .scriptName("s3proxy")
  .env("S3PROXY")
  .command(["serve", "$0"], "run the proxy", serveOptions, (argv) => serve(toConfig(argv)))
  .command(
    "ca <action>",
    "manage the interception CA",
    (y) =>
      y
        .positional("action", { choices: ["init"] as const, demandOption: true })
        .option("ca-dir", { type: "string", default: DEFAULTS.caDir }),
    async (argv) => {
      const dir = resolve(argv["ca-dir"]);
      try {
        await createCa(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") {
          throw new Error(
            `${dir} already holds a CA; remove ${CA_CERT_FILE} and ca-key.pem first to replace it`,
            { cause: err },
          );
        }
        throw err;
      }
      const ca = await loadOrCreateCa(dir);
      process.stdout.write(`created ${dir}/${CA_CERT_FILE} (SHA-256 ${ca.fingerprint})\n`);
    },
  )
  .command("inspect <object>", "print a stored object's encryption envelope", inspectOptions, inspectHandler)
  .command(
    "decrypt <object>",
    "decrypt a stored object with the KEK, without the proxy",
    decryptOptions,
    decryptHandler,
  )
  .command(
    "rewrap",
    "re-wrap DEKs under the active KEK (KEK rotation, no re-encryption)",
    rewrapOptions,
    rewrapHandler,
  )
  .command(
    "migrate",
    "re-encrypt objects written by Constellation's s3proxy into format v1, in place (docs/LEGACY.md)",
    migrateOptions,
    migrateHandler,
  )
  .strict()
  .fail((msg: string | null, err: Error | undefined, y) => {
    // Usage mistakes get the help text; runtime failures (bad CA file, port in use) just their message.
    if (err) process.stderr.write(`s3proxy: ${err.message}\n`);
    else process.stderr.write(`${y.help().toString()}\n\ns3proxy: ${msg ?? "invalid usage"}\n`);
    process.exit(1);
  })
  .help()
  .parseAsync();
