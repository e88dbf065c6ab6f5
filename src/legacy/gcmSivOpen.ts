/**
 * AES-GCM-SIV decryption (RFC 8452 §4-5) of one message held in memory, in place, in 1 MiB slices that yield
 * to the event loop. The Go proxy sealed each object as one GCM-SIV message (tink aead/subtle, crypto.go), and
 * GCM-SIV is not online: its tag is computed over the whole plaintext and is also the CTR IV, so nothing can be
 * authenticated before the last byte. A one-shot decrypt (@noble/ciphers `gcmsiv`, ~40 MB/s in JS) of a
 * 256 MiB object would block the proxy's event loop for seconds; here AES (key derivation, CTR keystream, tag)
 * runs in OpenSSL through node:crypto ECB, POLYVAL is @noble/ciphers' incremental one, and the loop gets a turn
 * between slices. test/legacy/gcmSivOpen.test.ts checks it against @noble/ciphers' gcmsiv, pyca/cryptography's
 * AESGCMSIV (test/vectors/legacy) and RFC 8452 Appendix C.
 *
 * The plaintext is written over the ciphertext and returned only after the tag verified; on failure it is
 * zeroed first, so no unauthenticated byte ever leaves.
 */
import { createCipheriv, timingSafeEqual } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
import { polyval } from "@noble/ciphers/_polyval.js";
import { LegacyError } from "./legacyErrors.ts";

const BLOCK = 16;
const NONCE_LENGTH = 12;
/** A multiple of 16: noble's POLYVAL zero-pads every update() to a block boundary. */
const SLICE = 1 << 20;

export type YieldToLoop = () => Promise<unknown>;

function aesEcb(key: Uint8Array, blocks: Uint8Array): Buffer {
  const cipher = createCipheriv(key.byteLength === 32 ? "aes-256-ecb" : "aes-128-ecb", key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(blocks), cipher.final()]);
}

/** RFC 8452 §4: message-authentication key (16 bytes) and message-encryption key (key length) per nonce. */
function deriveKeys(key: Uint8Array, nonce: Uint8Array): { authKey: Buffer; encKey: Buffer } {
  const count = key.byteLength === 32 ? 6 : 4;
  const input = Buffer.alloc(count * BLOCK);
  for (let i = 0; i < count; i++) {
    input.writeUInt32LE(i, i * BLOCK);
    input.set(nonce, i * BLOCK + 4);
  }
  const out = aesEcb(key, input);
  const halves = (from: number, to: number): Buffer =>
    Buffer.concat(
      Array.from({ length: to - from }, (_, i) => out.subarray((from + i) * BLOCK, (from + i) * BLOCK + 8)),
    );
  const keys = { authKey: halves(0, 2), encKey: halves(2, count) };
  out.fill(0);
  return keys;
}

/** XORs `stream` into `data` (same length or longer), 32 bits at a time where `data` is aligned. */
function xorInto(data: Buffer, stream: Buffer): void {
  let i = 0;
  if (data.byteOffset % 4 === 0 && stream.byteOffset % 4 === 0) {
    const words = data.byteLength >>> 2;
    const a = new Uint32Array(data.buffer, data.byteOffset, words);
    const b = new Uint32Array(stream.buffer, stream.byteOffset, words);
    for (let w = 0; w < words; w++) a[w] = (a[w] ?? 0) ^ (b[w] ?? 0);
    i = words << 2;
  }
  for (; i < data.byteLength; i++) data[i] = (data[i] ?? 0) ^ (stream[i] ?? 0);
}

/** XORs the RFC 8452 §4 CTR keystream for blocks [first, first + n) into `data` (counter: LE32 of bytes 0-3). */
function ctrInPlace(encKey: Buffer, counter0: Buffer, firstBlock: number, data: Buffer): void {
  const blocks = Math.ceil(data.byteLength / BLOCK);
  const counters = Buffer.alloc(blocks * BLOCK, counter0);
  const view = new DataView(counters.buffer, counters.byteOffset, counters.byteLength);
  const base = counter0.readUInt32LE(0);
  for (let j = 0; j < blocks; j++) view.setUint32(j * BLOCK, (base + firstBlock + j) % 2 ** 32, true);
  const stream = aesEcb(encKey, counters);
  xorInto(data, stream);
  stream.fill(0);
}

/**
 * Decrypts `sealed` (ciphertext || 16-byte tag, as RFC 8452 and tink lay it out) under `key` (16 or 32 bytes)
 * and `nonce` (12 bytes), with empty AAD (crypto.go passes `[]byte("")`). Returns the plaintext: a view of
 * `sealed`'s own bytes. Throws LegacyDecryptFailed when the tag does not verify.
 */
export async function gcmSivOpenInPlace(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Buffer,
  yieldToLoop: YieldToLoop = nextTurn,
): Promise<Buffer> {
  if (nonce.byteLength !== NONCE_LENGTH) throw new RangeError("AES-GCM-SIV takes a 12-byte nonce");
  if (key.byteLength !== 16 && key.byteLength !== 32)
    throw new RangeError("AES-GCM-SIV takes a 16 or 32-byte key");
  if (sealed.byteLength < BLOCK) {
    throw new LegacyError("LegacyDecryptFailed", "the AES-GCM-SIV message is shorter than its tag");
  }
  const length = sealed.byteLength - BLOCK;
  const tag = Buffer.from(sealed.subarray(length));
  const data = sealed.subarray(0, length);
  const { authKey, encKey } = deriveKeys(key, nonce);
  try {
    const counter0 = Buffer.from(tag);
    counter0[15] = (counter0[15] ?? 0) | 0x80;
    const mac = polyval.create(authKey, length);
    for (let offset = 0; offset < length; offset += SLICE) {
      const slice = data.subarray(offset, Math.min(offset + SLICE, length));
      ctrInPlace(encKey, counter0, offset / BLOCK, slice);
      mac.update(slice);
      if (offset + SLICE < length) await yieldToLoop();
    }
    const lengths = Buffer.alloc(BLOCK);
    // AAD is empty: its bit length (bytes 0-7) stays 0 and no AAD blocks were absorbed.
    lengths.writeBigUInt64LE(BigInt(length) * 8n, 8);
    mac.update(lengths);
    const s = Buffer.from(mac.digest());
    for (let i = 0; i < NONCE_LENGTH; i++) s[i] = (s[i] ?? 0) ^ (nonce[i] ?? 0);
    s[15] = (s[15] ?? 0) & 0x7f;
    const expected = aesEcb(encKey, s);
    if (!timingSafeEqual(expected, tag)) {
      data.fill(0);
      throw new LegacyError("LegacyDecryptFailed", "the object failed AES-GCM-SIV authentication");
    }
    return data;
  } finally {
    authKey.fill(0);
    encKey.fill(0);
  }
}
