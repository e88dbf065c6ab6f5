/**
 * One stream of the ciphertext bytes [window.start, window.end) assembled from consecutive pieces of the stored
 * object: the probe's response (or its bytes, when record 0 had to be read from it first) and pinned follow-up
 * responses, the last of which may be opened only when the stream reaches it (stitchPlan.ts). Bytes of a piece
 * outside the window are skipped. It is pull-based (Readable.from over an async generator), so the decrypt
 * stream and the client's socket pace every upstream response: one chunk is read when one is wanted.
 *
 * Pieces not (or no longer) needed are let go (upstreamBody.ts); when the stream is destroyed (the client left,
 * decryption failed) the piece being read is destroyed with it. Pieces that end before the window is complete
 * fail the stream with ProxyUpstreamFailed.
 */
import { Readable } from "node:stream";
import { ProxyError } from "../errors/ProxyError.ts";
import type { ByteSpan } from "./stitchPlan.ts";
import { releaseUpstreamBody } from "./upstreamBody.ts";

export interface SourcePart {
  /** The stored bytes this piece delivers, in order, without gaps to the previous piece. */
  readonly span: ByteSpan;
  readonly source: Buffer | Readable | (() => Promise<Readable>);
}

/** Like a socket's: a 64 KiB chunk at a time rather than Readable.from's 16 objects. */
const HIGH_WATER_MARK = 64 * 1024;

export function windowedSource(parts: readonly SourcePart[], window: ByteSpan): Readable {
  return Readable.from(windowChunks([...parts], window), {
    objectMode: false,
    highWaterMark: HIGH_WATER_MARK,
  });
}

async function* windowChunks(pending: SourcePart[], window: ByteSpan): AsyncGenerator<Buffer> {
  let pos = window.start;
  try {
    while (pos < window.end) {
      const part = pending.shift();
      if (part === undefined) break;
      const { span } = part;
      if (span.start > pos) throw new Error(`piece [${span.start}, ${span.end}) leaves a gap at ${pos}`);
      if (span.end <= pos) {
        if (part.source instanceof Readable) releaseUpstreamBody(part.source, span.end - span.start);
        continue;
      }
      const source = typeof part.source === "function" ? await part.source() : part.source;
      if (Buffer.isBuffer(source)) {
        const to = Math.min(window.end, span.end);
        yield source.subarray(pos - span.start, to - span.start);
        pos = to;
        continue;
      }
      let at = span.start;
      for await (const chunk of source) {
        const piece = chunk as Buffer;
        const from = at;
        at += piece.length;
        const lo = Math.max(pos - from, 0);
        const hi = Math.min(window.end - from, piece.length);
        if (hi > lo) {
          yield lo === 0 && hi === piece.length ? piece : piece.subarray(lo, hi);
          pos = from + hi;
        }
        // Done with a piece that has more to come: leaving the loop destroys it. A piece whose last byte was
        // just read is left to end by itself, so its connection goes back to the pool.
        if (pos >= window.end && at < span.end) break;
      }
    }
    if (pos < window.end) {
      throw new ProxyError(
        "ProxyUpstreamFailed",
        `The upstream body ended at byte ${pos} of the ${window.end} the proxy asked for.`,
      );
    }
  } finally {
    for (const part of pending) {
      if (part.source instanceof Readable) releaseUpstreamBody(part.source, part.span.end - part.span.start);
    }
  }
}
