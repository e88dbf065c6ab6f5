/**
 * The flags for objects written by Constellation's Go s3proxy (docs/LEGACY.md), shared by `serve` (reads them
 * through the proxy) and `migrate` (re-encrypts them): the legacy KEK file, the explicit zero-KEK opt-in and the
 * largest object held in memory to authenticate it.
 */
import { resolve } from "node:path";
import type { Argv } from "yargs";
import type { Logger } from "pino";
import {
  createLegacyReader,
  hasLegacyKeys,
  loadLegacyKek,
  type LegacyConfig,
  type LegacyReader,
} from "../legacy/index.ts";
import { parseByteSize } from "./parseByteSize.ts";

export function legacyOptions<T>(y: Argv<T>) {
  return y
    .option("legacy-kek-file", {
      type: "string",
      describe:
        "KEK of Constellation's s3proxy (32 bytes as hex or base64, mode 0600) to read its objects (docs/LEGACY.md)",
    })
    .option("legacy-allow-zero-kek", {
      type: "boolean",
      default: false,
      describe:
        "MIGRATION AID: also open Constellation objects wrapped with the all-zero KEK (warns per object)",
    })
    .option("legacy-max-size", {
      type: "string",
      default: "256MiB",
      describe:
        "largest Constellation object read whole into memory to authenticate it (bytes, KiB, MiB, GiB)",
    });
}

export interface LegacyFlags {
  readonly "legacy-kek-file"?: string | undefined;
  readonly "legacy-allow-zero-kek": boolean;
  readonly "legacy-max-size": string;
}

export function legacyConfig(a: LegacyFlags): LegacyConfig {
  const maxObjectBytes = parseByteSize(a["legacy-max-size"]);
  if (maxObjectBytes === undefined) {
    throw new Error("--legacy-max-size must be a positive size in bytes, KiB, MiB or GiB (e.g. 256MiB)");
  }
  return {
    kekFile: a["legacy-kek-file"] === undefined ? undefined : resolve(a["legacy-kek-file"]),
    allowZeroKek: a["legacy-allow-zero-kek"],
    maxObjectBytes,
  };
}

/** The reader the pipeline and `migrate` use: the KEK file loaded (mode-checked), the opt-in announced. */
export async function loadLegacyReader(config: LegacyConfig, log?: Logger): Promise<LegacyReader> {
  const kek = config.kekFile === undefined ? undefined : await loadLegacyKek(config.kekFile);
  const reader = createLegacyReader({ kek, allowZeroKek: config.allowZeroKek }, config.maxObjectBytes);
  if (config.allowZeroKek) {
    log?.warn(
      "--legacy-allow-zero-kek: Constellation objects wrapped with the ALL-ZERO KEK will be opened; they were " +
        "protected by no secret. Use this only to read or migrate them (s3proxy migrate), then turn it off.",
    );
  }
  if (hasLegacyKeys(reader.keys)) {
    log?.info(
      {
        legacyKek: config.kekFile !== undefined,
        zeroKek: config.allowZeroKek,
        maxSize: config.maxObjectBytes,
      },
      "Constellation s3proxy objects will be opened (docs/LEGACY.md)",
    );
  }
  return reader;
}
