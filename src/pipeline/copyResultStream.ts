/**
 * Rewrites S3's CopyObject answer on its way to the client (copyResultXml.ts) without holding up the response.
 * A large copy keeps its 200 open while S3 copies, sending whitespace so the connection does not time out
 * ("Amazon S3 … might send white space characters to keep the connection alive", API_CopyObject.html): that
 * leading whitespace is passed on as it arrives, and only the document after it — a few hundred bytes, bounded
 * here — is collected and rewritten when S3 ends the body.
 */
import { Transform, type TransformCallback } from "node:stream";
import { rewriteCopyObjectResult } from "../copy/copyResultXml.ts";
import { ProxyError } from "../errors/ProxyError.ts";

/** A CopyObjectResult is well under a kilobyte; an error document a few. */
const MAX_DOCUMENT = 64 * 1024;

export function createCopyResultRewrite(clientEtag: (stored: string) => string): Transform {
  const held: Buffer[] = [];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      let rest = chunk;
      if (size === 0) {
        // Still in the leading whitespace: pass it on up to the first byte of the document.
        const first = chunk.toString("latin1").search(/[^ \t\r\n]/);
        if (first < 0) {
          callback(null, chunk);
          return;
        }
        if (first > 0) this.push(chunk.subarray(0, first));
        rest = chunk.subarray(first);
      }
      size += rest.length;
      if (size > MAX_DOCUMENT) {
        callback(
          new ProxyError("ProxyUpstreamFailed", `The upstream's copy answer exceeds ${MAX_DOCUMENT} bytes.`),
        );
        return;
      }
      held.push(rest);
      callback();
    },
    flush(callback: TransformCallback) {
      try {
        const xml = Buffer.concat(held).toString("utf8");
        callback(null, Buffer.from(rewriteCopyObjectResult(xml, clientEtag), "utf8"));
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}
