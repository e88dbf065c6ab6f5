/**
 * What the `pkcs11` scheme wraps, and how the DEK context is bound although key wrap has no associated data.
 *
 * CKM_AES_KEY_WRAP is RFC 3394 (PKCS#11 v2.40 Current Mechanisms, "AES Key Wrap"): it authenticates what it
 * wraps but takes no associated data, so the DekContext cannot be passed to the token. Instead the wrapped key
 * value is the DEK followed by a 16-byte tag of the context:
 *
 *   payload    = DEK (32 bytes) || first 16 bytes of SHA-256("s3proxy/v1 pkcs11 dek context" || u8(formatVersion)
 *                                                          || u8(len(salt)) || salt)
 *   wrappedDek = AES-KW(KEK, payload)                       (RFC 3394 §2.2.1: 48 + 8 = 56 bytes)
 *
 * RFC 3394's wrap is a keyed permutation of the whole payload with a 64-bit integrity check (§2.2.3), so without
 * the KEK nobody can change the tag, and a wrapped DEK presented with another object's context unwraps to a
 * payload whose tag does not match: DekUnwrapFailed, before any object data is touched. The tag is a plain hash
 * (no secret): its only job is to name the context inside the authenticated payload. This is the same
 * guarantee the envelope's key commitment gives later (docs/FORMAT.md §4.3); binding here makes the HSM
 * provider fail at the key layer, like KMS with its EncryptionContext does. The token never sees the context,
 * so unlike KMS it does not appear in the HSM's audit log.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { KeyError } from "../../crypto/index.ts";
import type { DekContext } from "../dekContext.ts";

/** docs/FORMAT.md §4.1. */
const DEK_LENGTH = 32;
const CONTEXT_LABEL = Buffer.from("s3proxy/v1 pkcs11 dek context", "ascii");
export const PKCS11_CONTEXT_TAG_LENGTH = 16;
/** DEK || context tag. */
export const PKCS11_PAYLOAD_LENGTH = DEK_LENGTH + PKCS11_CONTEXT_TAG_LENGTH;
/** RFC 3394 adds one 64-bit block. */
export const PKCS11_WRAPPED_DEK_LENGTH = PKCS11_PAYLOAD_LENGTH + 8;

/** The 16-byte tag naming `context`; lengths are prefixed, so no two contexts share an encoding. */
export function pkcs11ContextTag(context: DekContext): Buffer {
  const { formatVersion, salt } = context;
  if (!Number.isInteger(formatVersion) || formatVersion < 0 || formatVersion > 255 || salt.byteLength > 255) {
    throw new KeyError("KeyInvalid", "DEK context: the format version and salt length must each fit a byte");
  }
  return createHash("sha256")
    .update(CONTEXT_LABEL)
    .update(Buffer.from([formatVersion, salt.byteLength]))
    .update(salt)
    .digest()
    .subarray(0, PKCS11_CONTEXT_TAG_LENGTH);
}

/** The key value the token wraps: a new buffer the caller zeroes after use. */
export function pkcs11WrapPayload(dek: Uint8Array, context: DekContext): Buffer {
  if (dek.byteLength !== DEK_LENGTH) throw new KeyError("KeyInvalid", `DEK must be ${DEK_LENGTH} bytes`);
  return Buffer.concat([dek, pkcs11ContextTag(context)]);
}

/** The DEK (a new buffer) when `payload` is a DEK wrapped for `context`, else undefined. */
export function pkcs11OpenPayload(payload: Uint8Array, context: DekContext): Buffer | undefined {
  if (payload.byteLength !== PKCS11_PAYLOAD_LENGTH) return undefined;
  const tag = Buffer.from(payload.buffer, payload.byteOffset + DEK_LENGTH, PKCS11_CONTEXT_TAG_LENGTH);
  if (!timingSafeEqual(tag, pkcs11ContextTag(context))) return undefined;
  return Buffer.from(payload.subarray(0, DEK_LENGTH));
}
