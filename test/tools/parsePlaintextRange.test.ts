import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePlaintextRange, resolvePlaintextRange } from "../../src/tools/parsePlaintextRange.ts";
import { ToolError } from "../../src/tools/ToolError.ts";

const usage = (err: unknown): boolean => err instanceof ToolError && err.code === "ToolUsage";
const span = (text: string, length: number) => resolvePlaintextRange(parsePlaintextRange(text), length);

describe("--range", () => {
  it("takes a-b inclusive, a- and -n like an HTTP byte range", () => {
    assert.deepEqual(span("0-99", 1000), { start: 0, end: 100 });
    assert.deepEqual(span("100-", 1000), { start: 100, end: 1000 });
    assert.deepEqual(span("-10", 1000), { start: 990, end: 1000 });
    assert.deepEqual(span(" 5-5 ", 1000), { start: 5, end: 6 });
  });

  it("clips the end to the plaintext and a suffix to the whole object, as RFC 9110 §14.1.2 does", () => {
    assert.deepEqual(span("900-5000", 1000), { start: 900, end: 1000 });
    assert.deepEqual(span("-5000", 1000), { start: 0, end: 1000 });
    assert.deepEqual(span("-1", 0), { start: 0, end: 0 });
  });

  it("refuses malformed ranges and ranges starting past the end", () => {
    for (const bad of ["", "-", "a-b", "5-4", "-0", "1-2-3", "bytes=0-1", "0x1-2", "1.5-2"]) {
      assert.throws(() => parsePlaintextRange(bad), usage, bad);
    }
    assert.throws(() => span("1000-", 1000), usage);
    assert.throws(() => span("0-0", 0), usage);
  });
});
