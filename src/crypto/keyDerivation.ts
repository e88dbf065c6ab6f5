/**
 * HKDF-SHA256 (RFC 5869) from the per-object DEK and salt to the two things format v1 needs: the key
 * commitment stored in the envelope, and one AES-256-GCM key per encrypted part. Deriving a fresh key per
 * (part number, part nonce) is what lets replicas encrypt parts independently with no shared counters.
 *
 *   PRK        = HKDF-Extract(salt, DEK)                                         (RFC 5869 §2.2)
 *   commitment = HKDF-Expand(PRK, "s3proxy/v1 commitment", 32)                   (RFC 5869 §2.3)
 *   partKey    = HKDF-Expand(PRK, "s3proxy/v1 part key" || be16(part) || partNonce, 32)
 *   md5Key     = HKDF-Expand(PRK, "s3proxy/v1 plaintext md5", 32)               (optional field, FORMAT §2.1)
 */
import { hkdfSync } from "node:crypto";
import { KeyError } from "./errors.ts";
import {
  COMMITMENT_LENGTH,
  DEK_LENGTH,
  LABEL_COMMITMENT,
  LABEL_MD5_KEY,
  LABEL_PART_KEY,
  PART_NONCE_LENGTH,
  SALT_LENGTH,
} from "./formatConstants.ts";

const COMMITMENT_INFO = Buffer.from(LABEL_COMMITMENT, "ascii");
const PART_KEY_LABEL = Buffer.from(LABEL_PART_KEY, "ascii");
const MD5_KEY_INFO = Buffer.from(LABEL_MD5_KEY, "ascii");

function checkInputs(dek: Uint8Array, salt: Uint8Array): void {
  if (dek.byteLength !== DEK_LENGTH) throw new KeyError("KeyInvalid", `DEK must be ${DEK_LENGTH} bytes`);
  if (salt.byteLength !== SALT_LENGTH) throw new KeyError("KeyInvalid", `salt must be ${SALT_LENGTH} bytes`);
}

function hkdfSha256(dek: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Buffer {
  return Buffer.from(hkdfSync("sha256", dek, salt, info, length));
}

/** The 32-byte key commitment of (DEK, salt); stored in the envelope header and checked before decrypting. */
export function deriveCommitment(dek: Uint8Array, salt: Uint8Array): Buffer {
  checkInputs(dek, salt);
  return hkdfSha256(dek, salt, COMMITMENT_INFO, COMMITMENT_LENGTH);
}

/** The HKDF info for a part key: label || be16(part) || partNonce. */
export function partKeyInfo(part: number, partNonce: Uint8Array): Buffer {
  if (partNonce.byteLength !== PART_NONCE_LENGTH) {
    throw new KeyError("KeyInvalid", `part nonce must be ${PART_NONCE_LENGTH} bytes`);
  }
  const partBytes = Buffer.alloc(2);
  partBytes.writeUInt16BE(part);
  return Buffer.concat([PART_KEY_LABEL, partBytes, partNonce]);
}

/** The AES-256-GCM key for every record of one encryption of part `part` (0 for single-part objects). */
export function derivePartKey(
  dek: Uint8Array,
  salt: Uint8Array,
  part: number,
  partNonce: Uint8Array,
): Buffer {
  checkInputs(dek, salt);
  return hkdfSha256(dek, salt, partKeyInfo(part, partNonce), 32);
}

/** The AES-256-GCM key that seals the object's plaintext MD5 (the optional `s3proxy-md5` field). */
export function deriveMd5Key(dek: Uint8Array, salt: Uint8Array): Buffer {
  checkInputs(dek, salt);
  return hkdfSha256(dek, salt, MD5_KEY_INFO, 32);
}
