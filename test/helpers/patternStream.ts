/**
 * Deterministic pseudo-random byte streams of any length, generated on the fly (never held in memory whole),
 * with the SHA-256 of what was produced, so two ends of a transfer can be compared without storing either.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";

const BLOCK = 64 * 1024;

/** Block i is SHA-256(seed || i) expanded to 64 KiB by counter mode; cheap and not compressible. */
function block(seed: string, index: number): Buffer {
  const out = Buffer.allocUnsafe(BLOCK);
  for (let off = 0, j = 0; off < BLOCK; off += 32, j += 1) {
    createHash("sha256").update(`${seed}:${index}:${j}`).digest().copy(out, off);
  }
  return out;
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
