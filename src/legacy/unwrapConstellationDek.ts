/**
 * The DEK of a Constellation object: AES-KWP unwrap (RFC 5649; NIST SP 800-38F KWP, which tink's kwp/subtle
 * implements and crypto.go uses) with the configured legacy KEK, then, only when opted in, the all-zero KEK
 * (legacyKeys.ts). KWP's 64-bit integrity check (RFC 5649 §3) is what tells a wrong KEK apart.
 */
import { aeskwp } from "@noble/ciphers/aes.js";
import { CONSTELLATION_DEK_LENGTH, CONSTELLATION_KEK_LENGTH } from "./constellationFormat.ts";
import type { ConstellationEnvelope } from "./constellationEnvelope.ts";
import { LegacyError } from "./legacyErrors.ts";
import type { LegacyKekUsed, LegacyKeys } from "./legacyKeys.ts";

export interface UnwrappedDek {
  /** The 32-byte DEK: use it, then zero it. */
  readonly dek: Buffer;
  readonly kekUsed: LegacyKekUsed;
}

function tryUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer | undefined {
  try {
    const dek = aeskwp(kek).decrypt(wrapped);
    if (dek.byteLength === CONSTELLATION_DEK_LENGTH) return Buffer.from(dek);
    dek.fill(0);
    return undefined;
  } catch {
    return undefined;
  }
}

export function unwrapConstellationDek(envelope: ConstellationEnvelope, keys: LegacyKeys): UnwrappedDek {
  const candidates: { kek: Uint8Array; used: LegacyKekUsed }[] = [];
  if (keys.kek !== undefined) candidates.push({ kek: keys.kek, used: "configured" });
  if (keys.allowZeroKek) candidates.push({ kek: new Uint8Array(CONSTELLATION_KEK_LENGTH), used: "zero" });
  if (candidates.length === 0) {
    throw new LegacyError(
      "LegacyKekMissing",
      "the object was written by Constellation's s3proxy and no legacy KEK is configured " +
        "(--legacy-kek-file, or --legacy-allow-zero-kek for objects written with the all-zero KEK)",
    );
  }
  for (const { kek, used } of candidates) {
    const dek = tryUnwrap(kek, envelope.wrappedDek);
    if (dek !== undefined) return { dek, kekUsed: used };
  }
  const tried = candidates.map((c) => (c.used === "zero" ? "the all-zero KEK" : "--legacy-kek-file"));
  throw new LegacyError(
    "LegacyUnwrapFailed",
    `the DEK does not unwrap under ${tried.join(" or ")} (wrong KEK or altered metadata)`,
  );
}
