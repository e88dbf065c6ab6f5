/**
 * A pass-through Transform that hashes the plaintext it carries and, at the end, compares the MD5 with the one
 * sealed in the envelope (docs/FORMAT.md §2.1). Every record is already authenticated on its own; this is the
 * extra whole-object check `decrypt` makes when the writer recorded the MD5. A mismatch fails the stream, so an
 * output file is never renamed into place.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { ToolError } from "./ToolError.ts";

export function createPlaintextMd5Check(expected: Buffer): Transform {
  const hash = createHash("md5");
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = hash.digest();
      if (actual.length === expected.length && timingSafeEqual(actual, expected)) callback();
      else {
        callback(
          new ToolError(
            "PlaintextMd5Mismatch",
            `the plaintext's MD5 ${actual.toString("hex")} is not the sealed ${expected.toString("hex")}`,
          ),
        );
      }
    },
  });
}
