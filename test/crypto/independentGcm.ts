/**
 * AES-GCM decryption written from NIST SP 800-38D without node:crypto's GCM: GHASH (§6.4) in BigInt
 * arithmetic over GF(2^128), the block cipher from the OpenSSL CLI (ECB for H and E(K, J0), CTR for GCTR,
 * §6.5). Slow and only for test vectors; it shows the format can be read by an implementation sharing no
 * code with ours.
 */
import { opensslAesCtr, opensslAesEcb } from "./opensslCli.ts";

const R = 0xe1n << 120n;
const MASK = (1n << 128n) - 1n;

function toBig(block: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(block).toString("hex") || "0"}`);
}

/** Multiplication in GF(2^128) with the bit order of SP 800-38D §6.3 (Algorithm 1). */
function gfMul(x: bigint, y: bigint): bigint {
  let z = 0n;
  let v = y;
  for (let i = 127; i >= 0; i--) {
    if ((x >> BigInt(i)) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z & MASK;
}

function ghash(h: bigint, data: Buffer): bigint {
  let y = 0n;
  for (let at = 0; at < data.length; at += 16) y = gfMul(y ^ toBig(data.subarray(at, at + 16)), h);
  return y;
}

function pad16(b: Uint8Array): Buffer {
  const padded = Buffer.alloc(Math.ceil(b.length / 16) * 16);
  padded.set(b);
  return padded;
}

/** Returns the plaintext, or undefined if the tag does not verify. Nonce must be 96 bits. */
export function independentGcmDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
): Buffer | undefined {
  const h = toBig(opensslAesEcb(key, Buffer.alloc(16)));
  const j0 = Buffer.concat([nonce, Buffer.from([0, 0, 0, 1])]);
  const lengths = Buffer.alloc(16);
  lengths.writeBigUInt64BE(BigInt(aad.length * 8), 0);
  lengths.writeBigUInt64BE(BigInt(ciphertext.length * 8), 8);
  const s = ghash(h, Buffer.concat([pad16(aad), pad16(ciphertext), lengths]));
  const expected = (s ^ toBig(opensslAesEcb(key, j0))).toString(16).padStart(32, "0");
  if (expected !== Buffer.from(tag).toString("hex")) return undefined;
  if (ciphertext.length === 0) return Buffer.alloc(0);
  const counter2 = Buffer.concat([nonce, Buffer.from([0, 0, 0, 2])]);
  return opensslAesCtr(key, counter2, ciphertext);
}
