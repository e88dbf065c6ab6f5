/**
 * AES key wrap (RFC 3394; NIST SP 800-38F §6.2 "KW") for locally held KEKs: the `aeskw` key-reference scheme
 * stores `aesKeyWrap(kek, dek)` as the wrapped DEK. Uses OpenSSL's `id-aesN-wrap` through node:crypto with the
 * RFC 3394 §2.2.3.1 default IV passed explicitly; output is identical to WebCrypto AES-KW and OpenSSL's CLI
 * (checked against the RFC 3394 §4 vectors in test/crypto/keyWrap.test.ts).
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { KeyError } from "./errors.ts";
import { DEK_LENGTH } from "./formatConstants.ts";

/** RFC 3394 §2.2.3.1 default initial value A6A6A6A6A6A6A6A6. */
const DEFAULT_IV = Buffer.from("a6a6a6a6a6a6a6a6", "hex");

function wrapCipherName(kek: Uint8Array): "id-aes128-wrap" | "id-aes192-wrap" | "id-aes256-wrap" {
  switch (kek.byteLength) {
    case 16:
      return "id-aes128-wrap";
    case 24:
      return "id-aes192-wrap";
    case 32:
      return "id-aes256-wrap";
    default:
      throw new KeyError("KeyInvalid", `KEK must be 16, 24 or 32 bytes, got ${kek.byteLength}`);
  }
}

/** RFC 3394 §2.2.1: wrap `keyData` (a multiple of 8 bytes, at least 16) under `kek`; 8 bytes longer. */
export function aesKeyWrap(kek: Uint8Array, keyData: Uint8Array): Buffer {
  const name = wrapCipherName(kek);
  if (keyData.byteLength < 16 || keyData.byteLength % 8 !== 0) {
    throw new KeyError(
      "KeyInvalid",
      `key data to wrap must be a multiple of 8 bytes >= 16, got ${keyData.byteLength}`,
    );
  }
  const cipher = createCipheriv(name, kek, DEFAULT_IV);
  // The wrap ciphers take the whole input in one update() call.
  return Buffer.concat([cipher.update(keyData), cipher.final()]);
}

/** RFC 3394 §2.2.2 with the §2.2.3 integrity check; a mismatch (wrong KEK, modified input) is KeyUnwrapFailed. */
export function aesKeyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer {
  const name = wrapCipherName(kek);
  if (wrapped.byteLength < 24 || wrapped.byteLength % 8 !== 0) {
    throw new KeyError(
      "KeyUnwrapFailed",
      `wrapped key must be a multiple of 8 bytes >= 24, got ${wrapped.byteLength}`,
    );
  }
  try {
    const decipher = createDecipheriv(name, kek, DEFAULT_IV);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch (cause) {
    throw new KeyError(
      "KeyUnwrapFailed",
      "AES key unwrap integrity check failed (wrong KEK or corrupted wrapped DEK)",
      {
        cause,
      },
    );
  }
}

/** Wrap a 256-bit DEK for the `aeskw` scheme (40 bytes out). */
export function wrapDekAesKw(kek: Uint8Array, dek: Uint8Array): Buffer {
  if (dek.byteLength !== DEK_LENGTH) throw new KeyError("KeyInvalid", `DEK must be ${DEK_LENGTH} bytes`);
  return aesKeyWrap(kek, dek);
}

/** Unwrap an `aeskw` wrapped DEK; anything but a 40-byte input that unwraps to 32 bytes is KeyUnwrapFailed. */
export function unwrapDekAesKw(kek: Uint8Array, wrapped: Uint8Array): Buffer {
  if (wrapped.byteLength !== DEK_LENGTH + 8) {
    throw new KeyError(
      "KeyUnwrapFailed",
      `aeskw wrapped DEK must be ${DEK_LENGTH + 8} bytes, got ${wrapped.byteLength}`,
    );
  }
  return aesKeyUnwrap(kek, wrapped);
}
