/**
 * Consuming an upstream response body the proxy does not relay: read a small one whole (record 0 of a
 * multipart object), or let one go. Letting go drains a short remainder so the keep-alive connection returns
 * to the pool, and destroys the connection rather than download a long one (a probe that turned out to address
 * a legacy plaintext object can be as long as the client's range).
 */
import type { Readable } from "node:stream";
import { ProxyError } from "../errors/ProxyError.ts";

/** Remainders up to this size are drained rather than cutting the connection. */
const DRAIN_LIMIT = 256 * 1024;

/** Reads the whole body into memory; more than `limit` bytes is ProxyUpstreamFailed. */
export async function readUpstreamBody(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    const piece = chunk as Buffer;
    length += piece.length;
    if (length > limit) {
      body.destroy();
      throw new ProxyError(
        "ProxyUpstreamFailed",
        `The upstream sent more than the ${limit} bytes asked for.`,
      );
    }
    chunks.push(piece);
  }
  return Buffer.concat(chunks, length);
}

/** Gives up a body of which `remaining` bytes are still to come. */
export function releaseUpstreamBody(body: Readable, remaining: number): void {
  body.on("error", () => {}); // nobody listens any more; a reset must not crash the process
  if (remaining <= DRAIN_LIMIT && !body.destroyed) body.resume();
  else body.destroy();
}
