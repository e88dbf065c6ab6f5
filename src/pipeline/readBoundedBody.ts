/**
 * Reads a small request body (an XML document) through its decoding transforms (aws-chunked framing, checksum
 * verification) into memory, refusing more than `limit` decoded bytes: documents are bounded, object data is
 * never read this way.
 */
import type { Readable, Transform } from "node:stream";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ProxyError } from "../errors/ProxyError.ts";

export async function readBoundedBody(
  source: Readable,
  transforms: readonly Transform[],
  limit: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) {
        callback(new ProxyError("MaxMessageLengthExceeded", `The request document exceeds ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
      callback();
    },
  });
  try {
    await pipeline([source, ...transforms, sink]);
  } catch (err) {
    if (err instanceof ProxyError) throw err;
    throw new ProxyError("RequestTimeout", "The request body was not received completely.", { cause: err });
  }
  return Buffer.concat(chunks);
}
