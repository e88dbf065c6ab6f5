/**
 * The bridge from an unwrapped DEK to the keys that decrypt records. Opening checks the key commitment first
 * (in constant time), so a wrong or substituted DEK fails with KeyCommitmentMismatch before any ciphertext
 * is touched: AES-GCM alone is not key-committing, and a wrong key must never look like corrupted data.
 */
import { timingSafeEqual } from "node:crypto";
import type { EnvelopeHeader } from "./envelopeHeader.ts";
import { KeyError } from "./errors.ts";
import { DEK_LENGTH } from "./formatConstants.ts";
import { deriveCommitment, deriveMd5Key, derivePartKey } from "./keyDerivation.ts";

export interface ObjectKeys {
  readonly header: EnvelopeHeader;
  /** The AES-256-GCM key for records of (part, partNonce); cached, derivation is cheap but not free. */
  partKey(part: number, partNonce: Uint8Array): Buffer;
  /** The key sealing the plaintext MD5 (docs/FORMAT.md §2.1). */
  md5Key(): Buffer;
}

/** A handful of parts are live at once (a range crosses at most a few); keep the cache tiny. */
const CACHE_LIMIT = 8;

export function openObjectKeys(header: EnvelopeHeader, dek: Uint8Array): ObjectKeys {
  if (dek.byteLength !== DEK_LENGTH) throw new KeyError("KeyInvalid", `DEK must be ${DEK_LENGTH} bytes`);
  const expected = deriveCommitment(dek, header.salt);
  if (!timingSafeEqual(expected, header.commitment)) {
    throw new KeyError("KeyCommitmentMismatch", "DEK does not match the envelope's key commitment");
  }
  const ownDek = Buffer.from(dek);
  const cache = new Map<string, Buffer>();
  return {
    header,
    partKey(part, partNonce) {
      const id = `${part}:${Buffer.from(partNonce).toString("hex")}`;
      let key = cache.get(id);
      if (key === undefined) {
        key = derivePartKey(ownDek, header.salt, part, partNonce);
        if (cache.size >= CACHE_LIMIT) {
          const oldest = cache.keys().next();
          if (!oldest.done) cache.delete(oldest.value);
        }
        cache.set(id, key);
      }
      return key;
    },
    md5Key() {
      return deriveMd5Key(ownDek, header.salt);
    },
  };
}
