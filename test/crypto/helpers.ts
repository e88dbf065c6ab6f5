/**
 * Shared fixtures for the crypto tests: deterministic randomness, whole-buffer encrypt/decrypt through the real
 * streams, and assertions on typed error codes.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { createEnvelope } from "../../src/crypto/createEnvelope.ts";
import type { RandomBytes } from "../../src/crypto/createEnvelope.ts";
import { createDecryptStream } from "../../src/crypto/decryptStream.ts";
import { createEncryptStream } from "../../src/crypto/encryptStream.ts";
import type { CryptoErrorCode } from "../../src/crypto/errors.ts";
import { CryptoError } from "../../src/crypto/errors.ts";
import type { Layout } from "../../src/crypto/formatConstants.ts";
import { openObjectKeys, type ObjectKeys } from "../../src/crypto/objectKeys.ts";
import { planRange, type RangePlan } from "../../src/crypto/rangePlan.ts";

/** A deterministic byte source: SHA-256 in counter mode over a seed (not for production use). */
export function seededRandom(seed: string): RandomBytes {
  let counter = 0;
  return (size) => {
    const out = Buffer.alloc(size);
    for (let at = 0; at < size; at += 32) {
      const block = createHash("sha256").update(`${seed}/${counter++}`).digest();
      block.copy(out, at, 0, Math.min(32, size - at));
    }
    return out;
  };
}

/** Deterministic plaintext of `length` bytes. */
export function pattern(length: number, seed = 0): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

export function newKeys(layout: Layout, segmentExponent = 12, seed = "keys"): ObjectKeys {
  const { header, dek } = createEnvelope({ layout, segmentExponent, randomBytes: seededRandom(seed) });
  return openObjectKeys(header, dek);
}

/** Split `data` into chunks of the given sizes (cycled), to exercise arbitrary stream chunking. */
export function chunked(data: Buffer, sizes: readonly number[] = [data.length]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  let i = 0;
  while (at < data.length) {
    const size = Math.max(1, sizes[i++ % sizes.length] ?? data.length);
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

export async function encryptPart(
  keys: ObjectKeys,
  part: number,
  plaintext: Buffer,
  options: { chunks?: readonly number[]; seed?: string; partNonce?: Buffer } = {},
): Promise<Buffer> {
  const { partNonce } = options;
  const stream = createEncryptStream({
    keys,
    part,
    plaintextLength: plaintext.length,
    randomBytes: partNonce ? () => partNonce : seededRandom(options.seed ?? `part-${part}`),
  });
  return buffer(Readable.from(chunked(plaintext, options.chunks)).pipe(stream));
}

/** Encrypt a single-part object (part 0) or the parts 1..N of a multipart object, concatenated. */
export async function encryptObject(
  keys: ObjectKeys,
  parts: readonly Buffer[],
  chunks?: readonly number[],
): Promise<Buffer> {
  if (keys.header.layout === "single") {
    assert.equal(parts.length, 1);
    return encryptPart(keys, 0, parts[0] ?? Buffer.alloc(0), chunks ? { chunks } : {});
  }
  const out: Buffer[] = [];
  for (const [i, part] of parts.entries())
    out.push(await encryptPart(keys, i + 1, part, chunks ? { chunks } : {}));
  return Buffer.concat(out);
}

export function decryptBytes(
  keys: ObjectKeys,
  input: Buffer,
  plan: RangePlan,
  options: { chunks?: readonly number[]; partSegments?: number } = {},
): Promise<Buffer> {
  const stream = createDecryptStream({
    keys,
    plan,
    ...(options.partSegments === undefined ? {} : { partSegments: options.partSegments }),
  });
  return buffer(Readable.from(chunked(input, options.chunks)).pipe(stream));
}

/** Decrypt a whole stored object. */
export function decryptObject(
  keys: ObjectKeys,
  ciphertext: Buffer,
  chunks?: readonly number[],
): Promise<Buffer> {
  const plan = planRange({
    segmentExponent: keys.header.segmentExponent,
    ciphertextLength: ciphertext.length,
  });
  return decryptBytes(keys, ciphertext, plan, chunks ? { chunks } : {});
}

export function isCode(code: CryptoErrorCode): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof CryptoError, `expected CryptoError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  };
}

export async function rejectsWith(promise: Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  await assert.rejects(promise, isCode(code));
}

export function throwsWith(fn: () => unknown, code: CryptoErrorCode): void {
  assert.throws(fn, isCode(code));
}
