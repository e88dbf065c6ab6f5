import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ciphertextLength, recordSize, segmentSize } from "../../src/crypto/index.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { readTargetFor, type StoredObject } from "../../src/pipeline/readTarget.ts";

const S = segmentSize(16);
const R = recordSize(16);
const single = (p: number): StoredObject => ({
  ciphertextLength: ciphertextLength(p, 16),
  segmentExponent: 16,
  layout: "single",
  partSegments: undefined,
});
/** Parts of K = 2 records, then a last part of `last` bytes. */
const multipart = (parts: number, last: number): StoredObject => ({
  ciphertextLength: (parts - 1) * 2 * R + ciphertextLength(last, 16),
  segmentExponent: 16,
  layout: "multipart",
  partSegments: 2,
});

function throwsCode(fn: () => unknown, code: string, status: number): ProxyError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProxyError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.status, status);
    return err;
  }
  assert.fail(`expected ${code}`);
}

void describe("readTargetFor", () => {
  void it("maps a Range to plaintext bytes, 416 with the plaintext length when unsatisfiable", () => {
    const o = single(1000);
    const range = (first: number, last?: number) =>
      readTargetFor({ kind: "range", spec: { kind: "from", first, last } }, o, false);
    assert.deepEqual(range(10, 19), {
      partial: true,
      start: 10,
      end: 20,
      total: 1000,
      partsCount: undefined,
    });
    assert.deepEqual(range(990, 5000), {
      partial: true,
      start: 990,
      end: 1000,
      total: 1000,
      partsCount: undefined,
    });
    const err = throwsCode(() => range(1000), "InvalidRange", 416);
    assert.deepEqual(err.headers, { "Content-Range": "bytes */1000" });
    const suffix0 = { kind: "range" as const, spec: { kind: "suffix" as const, length: 0 } };
    throwsCode(() => readTargetFor(suffix0, o, false), "InvalidRange", 416);
  });

  void it("answers the whole object when If-Range failed or for a suffix of an empty object", () => {
    const whole = { partial: false, start: 0, end: 1000, total: 1000, partsCount: undefined };
    assert.deepEqual(
      readTargetFor({ kind: "range", spec: { kind: "from", first: 5, last: 6 } }, single(1000), true),
      whole,
    );
    const suffix = { kind: "range" as const, spec: { kind: "suffix" as const, length: 5 } };
    assert.deepEqual(readTargetFor(suffix, single(0), false), { ...whole, end: 0, total: 0 });
  });

  void it("treats a single-part object as one part", () => {
    assert.deepEqual(readTargetFor({ kind: "part", partNumber: 1 }, single(3 * S), false), {
      partial: true,
      start: 0,
      end: 3 * S,
      total: 3 * S,
      partsCount: undefined,
    });
    assert.equal(readTargetFor({ kind: "part", partNumber: 1 }, single(0), false).partial, false);
    throwsCode(
      () => readTargetFor({ kind: "part", partNumber: 2 }, single(3 * S), false),
      "InvalidPartNumber",
      416,
    );
  });

  void it("maps partNumber of a multipart object to its logical part, with the part count", () => {
    const o = multipart(3, 100);
    assert.deepEqual(readTargetFor({ kind: "part", partNumber: 2 }, o, false), {
      partial: true,
      start: 2 * S,
      end: 4 * S,
      total: 4 * S + 100,
      partsCount: 3,
    });
    assert.deepEqual(readTargetFor({ kind: "part", partNumber: 3 }, o, false), {
      partial: true,
      start: 4 * S,
      end: 4 * S + 100,
      total: 4 * S + 100,
      partsCount: 3,
    });
    throwsCode(() => readTargetFor({ kind: "part", partNumber: 4 }, o, false), "InvalidPartNumber", 416);
    // an empty last part: nothing to describe with a Content-Range
    const empty = readTargetFor({ kind: "part", partNumber: 2 }, multipart(2, 0), false);
    assert.deepEqual(empty, { partial: false, start: 2 * S, end: 2 * S, total: 2 * S, partsCount: 2 });
  });
});
