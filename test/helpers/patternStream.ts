/**
 * Deterministic pseudo-random byte streams of any length, generated on the fly (never held in memory whole),
 * with the SHA-256 of what was produced, so two ends of a transfer can be compared without storing either.
 */
import { createCipheriv, createHash } from "node:crypto";
import { Readable } from "node:stream";

const BLOCK = 64 * 1024;

/**
 * Block i is the AES-256-CTR keystream for key SHA-256(seed) starting at counter i * 4096 (64 KiB / 16 B per
 * counter): incompressible, deterministic, and generated at GB/s so tests measure the proxy, not the generator.
 */
function block(seed: string, index: number): Buffer {
  const key = createHash("sha256").update(seed).digest();
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(index * (BLOCK / 16), 12);
  iv.writeUInt32BE(Math.floor((index * (BLOCK / 16)) / 2 ** 32), 8);
  return createCipheriv("aes-256-ctr", key, iv).update(Buffer.alloc(BLOCK));
}

export function patternStream(seed: string, length: number): Readable {
  let sent = 0;
  let index = 0;
  return new Readable({
    highWaterMark: BLOCK,
    read() {
      if (sent >= length) return void this.push(null);
      const b = block(seed, index++);
      const part = b.subarray(0, Math.min(BLOCK, length - sent));
      sent += part.length;
      this.push(part);
    },
  });
}

export async function sha256Of(stream: AsyncIterable<Buffer>): Promise<{ hex: string; bytes: number }> {
  const h = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { hex: h.digest("hex"), bytes };
}

export async function patternSha256(seed: string, length: number): Promise<string> {
  return (await sha256Of(patternStream(seed, length))).hex;
}
