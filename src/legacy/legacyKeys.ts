/**
 * Which KEKs may open Constellation objects. The Go proxy fetched a 32-byte KEK from Constellation's keyservice
 * (router.go: GetDataKey("s3proxy-kek", 32)) but its object handlers never received it: handler.go builds
 * `object{…}` without `kek`, so every object was wrapped under Go's zero value, the all-zero [32]byte. Objects
 * from a build that did pass it (forks; Intrinsec/s3proxy#38 fixed exactly this) use the real one. The zero
 * KEK is tried only on explicit opt-in: it is no secret, and accepting it silently would make any object whose
 * metadata an attacker rewrote (wrapped under zero) look like a legitimate legacy object.
 */
export interface LegacyKeys {
  /** `--legacy-kek-file`: the KEK the Go proxy was configured with; undefined when none is configured. */
  readonly kek: Uint8Array | undefined;
  /** `--legacy-allow-zero-kek`: also try the all-zero KEK (after the configured one). */
  readonly allowZeroKek: boolean;
}

/** Which candidate opened an object: callers log `zero` loudly, per object. */
export type LegacyKekUsed = "configured" | "zero";

/** No legacy KEK at all: every Constellation object fails closed. */
export const NO_LEGACY_KEYS: LegacyKeys = { kek: undefined, allowZeroKek: false };

export function hasLegacyKeys(keys: LegacyKeys): boolean {
  return keys.kek !== undefined || keys.allowZeroKek;
}
