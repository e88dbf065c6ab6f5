import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { partSpan, partSpans, validateMultipartParts } from "../../src/crypto/multipartLayout.ts";
import { ciphertextLength, recordSize } from "../../src/crypto/segmentMath.ts";
import { throwsWith } from "./helpers.ts";

const MiB = 2 ** 20;
const S = 65536;
const R = recordSize(16);

void describe("multipart layout", () => {
  void it("accepts the usual client layout: equal 8 MiB parts and a shorter last part", () => {
    const parts = [8 * MiB, 8 * MiB, 8 * MiB, 3 * MiB + 5].map((p) => ciphertextLength(p, 16));
    const g = validateMultipartParts(parts, 16);
    assert.equal(g.partSegments, 128);
    assert.equal(g.partCount, 4);
    assert.equal(g.recordCount, 3 * 128 + 49);
    assert.equal(g.plaintextLength, 27 * MiB + 5);
    assert.equal(
      g.ciphertextLength,
      parts.reduce((a, b) => a + b, 0),
    );
  });

  void it("accepts one part of any size, an empty last part, and a last part as large as the others", () => {
    assert.equal(validateMultipartParts([ciphertextLength(12345, 16)], 16).partSegments, 1);
    assert.equal(validateMultipartParts([ciphertextLength(0, 16)], 16).plaintextLength, 0);
    assert.equal(validateMultipartParts([80 * R, 32], 16).recordCount, 81);
    assert.equal(validateMultipartParts([80 * R, 80 * R], 16).plaintextLength, 160 * S);
  });

  void it("refuses layouts a reader could not map without S3's part list", () => {
    const p8 = ciphertextLength(8 * MiB, 16);
    // a middle part that is not a multiple of the segment size (e.g. Java/Go auto-sized parts)
    throwsWith(
      () => validateMultipartParts([ciphertextLength(5 * MiB + 1, 16), p8], 16),
      "MultipartLayoutInvalid",
    );
    // unequal middle parts
    throwsWith(
      () => validateMultipartParts([p8, ciphertextLength(16 * MiB, 16), p8], 16),
      "MultipartLayoutInvalid",
    );
    // last part larger than the others
    throwsWith(
      () => validateMultipartParts([p8, ciphertextLength(9 * MiB, 16)], 16),
      "MultipartLayoutInvalid",
    );
    // impossible sizes and counts
    throwsWith(() => validateMultipartParts([p8, 17], 16), "MultipartLayoutInvalid");
    throwsWith(() => validateMultipartParts([], 16), "MultipartLayoutInvalid");
    throwsWith(() => validateMultipartParts(new Array<number>(10_001).fill(R), 16), "MultipartLayoutInvalid");
  });

  void it("maps parts to plaintext and ciphertext spans", () => {
    const c = 2 * 128 * R + ciphertextLength(1000, 16);
    const spans = partSpans(c, 16, 128);
    assert.equal(spans.length, 3);
    assert.deepEqual(spans[1], {
      part: 2,
      firstRecord: 128,
      recordCount: 128,
      plaintextStart: 8 * MiB,
      plaintextLength: 8 * MiB,
      cipherStart: 128 * R,
      cipherLength: 128 * R,
    });
    assert.deepEqual(partSpan(c, 16, 128, 3), {
      part: 3,
      firstRecord: 256,
      recordCount: 1,
      plaintextStart: 16 * MiB,
      plaintextLength: 1000,
      cipherStart: 256 * R,
      cipherLength: 1032,
    });
    throwsWith(() => partSpan(c, 16, 128, 4), "PartNumberInvalid");
    throwsWith(() => partSpan(c, 16, 128, 0), "PartNumberInvalid");
  });
});
