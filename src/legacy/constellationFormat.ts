/**
 * The storage format of Edgeless Systems Constellation's Go s3proxy (docs/LEGACY.md), as constants and size
 * arithmetic. Sources: s3proxy/internal/router/object.go (metadata entry, hex), s3proxy/internal/crypto/crypto.go
 * (tink's AES-GCM-SIV and KWP, 32-byte DEK, empty AAD), tink-go aead/subtle/aes_gcm_siv.go (nonce || ct || tag).
 */

/** The metadata entry holding hex(AES-KWP(KEK, DEK)); AWS lowercases metadata names (object.go `dekTag`). */
export const CONSTELLATION_DEK_META = "x-amz-meta-constellation-dek";

/** AES-GCM-SIV nonce, stored in front of the ciphertext (RFC 8452 §4; tink AESGCMSIVNonceSize). */
export const CONSTELLATION_NONCE_LENGTH = 12;
/** AES-GCM-SIV tag, stored after the ciphertext (RFC 8452 §4). */
export const CONSTELLATION_TAG_LENGTH = 16;
/** Stored length minus plaintext length: the whole object is one AEAD message. */
export const CONSTELLATION_OVERHEAD = CONSTELLATION_NONCE_LENGTH + CONSTELLATION_TAG_LENGTH;

/** The Go proxy's KEK: `kekSizeBytes = 32` (router.go), AES-256 for KWP. */
export const CONSTELLATION_KEK_LENGTH = 32;
/** The Go proxy drew `random.GetRandomBytes(32)` per object (crypto.go): AES-256-GCM-SIV. */
export const CONSTELLATION_DEK_LENGTH = 32;
/** KWP output for a 32-byte key: the 8-byte integrity block plus the key (RFC 5649 §4.1, no padding needed). */
export const CONSTELLATION_WRAPPED_DEK_LENGTH = CONSTELLATION_DEK_LENGTH + 8;

/** The plaintext length of a stored object of `storedLength` bytes; undefined when it is too short to be one. */
export function constellationPlaintextLength(storedLength: number): number | undefined {
  return Number.isSafeInteger(storedLength) && storedLength >= CONSTELLATION_OVERHEAD
    ? storedLength - CONSTELLATION_OVERHEAD
    : undefined;
}
