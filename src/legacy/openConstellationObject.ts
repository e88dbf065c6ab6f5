/**
 * Opens one object written by Constellation's Go s3proxy, held whole in memory: DEK unwrapped with the legacy
 * KEKs (unwrapConstellationDek.ts), then the body — nonce(12) || ciphertext || tag(16), one AES-256-GCM-SIV
 * message with empty AAD (docs/LEGACY.md) — decrypted and authenticated (gcmSivOpen.ts). The plaintext comes
 * back only after the tag verified, written over `body` (the caller hands its buffer over).
 */
import { CONSTELLATION_NONCE_LENGTH, CONSTELLATION_OVERHEAD } from "./constellationFormat.ts";
import type { ConstellationEnvelope } from "./constellationEnvelope.ts";
import { gcmSivOpenInPlace, type YieldToLoop } from "./gcmSivOpen.ts";
import { LegacyError } from "./legacyErrors.ts";
import type { LegacyKekUsed, LegacyKeys } from "./legacyKeys.ts";
import { unwrapConstellationDek } from "./unwrapConstellationDek.ts";

export interface OpenedConstellationObject {
  /** A view of the caller's buffer, now plaintext. */
  readonly plaintext: Buffer;
  readonly kekUsed: LegacyKekUsed;
}

/** The body under an already unwrapped DEK (callers that unwrap first to fail before downloading). */
export async function openConstellationBody(
  body: Buffer,
  dek: Uint8Array,
  yieldToLoop?: YieldToLoop,
): Promise<Buffer> {
  if (body.byteLength < CONSTELLATION_OVERHEAD) {
    throw new LegacyError(
      "LegacyDecryptFailed",
      `the stored object is ${body.byteLength} bytes, shorter than nonce and tag (${CONSTELLATION_OVERHEAD})`,
    );
  }
  const nonce = body.subarray(0, CONSTELLATION_NONCE_LENGTH);
  return gcmSivOpenInPlace(dek, nonce, body.subarray(CONSTELLATION_NONCE_LENGTH), yieldToLoop);
}

export async function openConstellationObject(
  body: Buffer,
  envelope: ConstellationEnvelope,
  keys: LegacyKeys,
  yieldToLoop?: YieldToLoop,
): Promise<OpenedConstellationObject> {
  const { dek, kekUsed } = unwrapConstellationDek(envelope, keys);
  try {
    return { plaintext: await openConstellationBody(body, dek, yieldToLoop), kekUsed };
  } finally {
    dek.fill(0);
  }
}
