/**
 * What the proxy needs to serve Constellation objects: the legacy KEKs, the largest object it will hold in
 * memory to authenticate (`--legacy-max-size`), and the memory budget all such reads share (twice that size:
 * two maximal objects, or many small ones, at once; further reads queue, memoryBudget.ts).
 */
import { createMemoryBudget, type MemoryBudget } from "./memoryBudget.ts";
import type { LegacyKeys } from "./legacyKeys.ts";

/** 256 MiB: GCM-SIV authenticates a whole object at once, so an object is read into memory before any byte goes out. */
export const DEFAULT_LEGACY_MAX_SIZE = 256 * 1024 * 1024;

/** The configuration behind a reader (`--legacy-kek-file`, `--legacy-allow-zero-kek`, `--legacy-max-size`). */
export interface LegacyConfig {
  /** Path of the legacy KEK file, resolved; undefined when none is configured. */
  readonly kekFile: string | undefined;
  readonly allowZeroKek: boolean;
  readonly maxObjectBytes: number;
}

export const DEFAULT_LEGACY_CONFIG: LegacyConfig = {
  kekFile: undefined,
  allowZeroKek: false,
  maxObjectBytes: DEFAULT_LEGACY_MAX_SIZE,
};

export interface LegacyReader {
  readonly keys: LegacyKeys;
  readonly maxObjectBytes: number;
  readonly memory: MemoryBudget;
}

export function createLegacyReader(keys: LegacyKeys, maxObjectBytes = DEFAULT_LEGACY_MAX_SIZE): LegacyReader {
  if (!Number.isSafeInteger(maxObjectBytes) || maxObjectBytes < 1) {
    throw new RangeError("the legacy object size limit must be a positive integer");
  }
  return { keys, maxObjectBytes, memory: createMemoryBudget(2 * maxObjectBytes) };
}
