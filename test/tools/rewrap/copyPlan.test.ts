import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ciphertextLength, recordSize, segmentSize } from "../../../src/crypto/index.ts";
import { copyMethod, MAX_COPY_OBJECT_BYTES, partCopyRanges } from "../../../src/tools/rewrap/copyPlan.ts";
import { ToolError } from "../../../src/tools/ToolError.ts";

const refused = (err: unknown): boolean => err instanceof ToolError && err.code === "CopyRefused";
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe("copyPlan", () => {
  it("copies up to 5 GiB with CopyObject, larger multipart objects in parts, and refuses the impossible", () => {
    assert.deepEqual(copyMethod(MAX_COPY_OBJECT_BYTES, "single", MAX_COPY_OBJECT_BYTES), { kind: "copy" });
    assert.deepEqual(copyMethod(MAX_COPY_OBJECT_BYTES, "multipart", MAX_COPY_OBJECT_BYTES), { kind: "copy" });
    assert.deepEqual(copyMethod(MAX_COPY_OBJECT_BYTES + 1, "multipart", MAX_COPY_OBJECT_BYTES), {
      kind: "parts",
    });
    assert.deepEqual(copyMethod(20 * MiB, "multipart", 5 * MiB), { kind: "parts" });
    assert.deepEqual(copyMethod(20 * MiB, "single", 5 * MiB), { kind: "copy" });
    assert.throws(() => copyMethod(MAX_COPY_OBJECT_BYTES + 1, "single", MAX_COPY_OBJECT_BYTES), refused);
  });

  it("cuts along the logical parts of K records, the last one shorter", () => {
    const e = 16;
    const k = 128; // 8 MiB parts
    const c = ciphertextLength(20 * MiB + 5, e);
    const r = recordSize(e);
    assert.deepEqual(partCopyRanges(c, e, k), [
      { part: 1, start: 0, end: k * r },
      { part: 2, start: k * r, end: 2 * k * r },
      { part: 3, start: 2 * k * r, end: c },
    ]);
    // 6 GiB in 5 GiB parts: two parts.
    const big = ciphertextLength(6 * GiB, e);
    const kBig = (5 * GiB - 32 * 81920) / segmentSize(e) - 1; // fits 5 GiB stored
    assert.equal(partCopyRanges(big, e, kBig).length, 2);
  });

  it("refuses layouts S3 would not take back: parts under 5 MiB, over 5 GiB, more than 10,000", () => {
    const e = 16;
    assert.throws(() => partCopyRanges(ciphertextLength(10 * MiB, e), e, 16), refused); // 1 MiB parts
    assert.doesNotThrow(() => partCopyRanges(ciphertextLength(5 * MiB, e), e, 80)); // one part: may be small
    assert.throws(() => partCopyRanges(ciphertextLength(6 * GiB, e), e, 6 * 16384), refused); // 6 GiB part
    assert.throws(() => partCopyRanges(ciphertextLength(10_001 * 5 * MiB, e), e, 80), refused);
  });
});
