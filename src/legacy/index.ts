/**
 * Reading objects written by Edgeless Systems Constellation's Go s3proxy (docs/LEGACY.md): recognising them,
 * opening them with the legacy KEK (or, opted in, the all-zero KEK the Go proxy really used), and the limits
 * that go with a format that authenticates only whole objects.
 */
export {
  CONSTELLATION_DEK_META,
  CONSTELLATION_OVERHEAD,
  constellationPlaintextLength,
} from "./constellationFormat.ts";
export { hasConstellationMetadata, readConstellationEnvelope } from "./constellationEnvelope.ts";
export type { ConstellationEnvelope } from "./constellationEnvelope.ts";
export { gcmSivOpenInPlace } from "./gcmSivOpen.ts";
export { isLegacyError, LEGACY_ERROR_CODES, LegacyError } from "./legacyErrors.ts";
export type { LegacyErrorCode } from "./legacyErrors.ts";
export { hasLegacyKeys, NO_LEGACY_KEYS } from "./legacyKeys.ts";
export type { LegacyKekUsed, LegacyKeys } from "./legacyKeys.ts";
export { createLegacyReader, DEFAULT_LEGACY_CONFIG, DEFAULT_LEGACY_MAX_SIZE } from "./legacyReader.ts";
export type { LegacyConfig, LegacyReader } from "./legacyReader.ts";
export { loadLegacyKek } from "./loadLegacyKek.ts";
export { createMemoryBudget } from "./memoryBudget.ts";
export type { MemoryBudget, Release } from "./memoryBudget.ts";
export { openConstellationBody, openConstellationObject } from "./openConstellationObject.ts";
export type { OpenedConstellationObject } from "./openConstellationObject.ts";
export { parseLegacyKek } from "./parseLegacyKek.ts";
export { unwrapConstellationDek } from "./unwrapConstellationDek.ts";
export type { UnwrappedDek } from "./unwrapConstellationDek.ts";
