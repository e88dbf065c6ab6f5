import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { percentDecode } from "../../src/s3/percentDecode.ts";

const path = { plusAsSpace: false };
const query = { plusAsSpace: true };

function assertInvalidUri(fn: () => unknown): void {
  assert.throws(
    fn,
    (err: unknown) => err instanceof ProxyError && err.code === "InvalidURI" && err.status === 400,
  );
}

describe("percentDecode", () => {
  it("decodes escapes (either hex case) to UTF-8 text", () => {
    assert.equal(percentDecode("a%20b", path), "a b");
    assert.equal(percentDecode("%e2%82%ac%E2%82%AC", path), "€€");
    assert.equal(percentDecode("%F0%9F%98%80", path), "😀");
    assert.equal(percentDecode("%2F%2f", path), "//");
    assert.equal(percentDecode("100%25", path), "100%");
    assert.equal(percentDecode("", path), "");
  });

  it("keeps + literal in paths and decodes it to a space in queries", () => {
    assert.equal(percentDecode("a+b%2B", path), "a+b+");
    assert.equal(percentDecode("a+b%2B", query), "a b+");
  });

  it("keeps a leading byte-order mark (keys are byte strings, nothing is stripped)", () => {
    assert.equal(percentDecode("%EF%BB%BFx", path), "\uFEFFx");
  });

  it("decodes NUL and other escaped controls (S3 keys may contain them)", () => {
    assert.equal(percentDecode("%00%0A", path), "\u0000\n");
  });

  it("rejects malformed escapes", () => {
    for (const bad of ["%", "%4", "%zz", "a%g1", "%%41", "x%2"])
      assertInvalidUri(() => percentDecode(bad, path));
  });

  it("rejects ill-formed UTF-8", () => {
    for (const bad of [
      "%FF", // never valid
      "%C0%AF", // overlong "/"
      "%E0%80%AF", // overlong
      "%ED%A0%80", // UTF-16 surrogate half
      "%E2%82", // truncated
      "%80", // lone continuation byte
      "%F4%90%80%80", // above U+10FFFF
    ]) {
      assertInvalidUri(() => percentDecode(bad, path));
    }
  });

  it("rejects raw characters a request-target cannot carry", () => {
    for (const bad of ["a b", "a\tb", "a\r\nb", "a#b", "\u007f", "é", "€", "\u0000"]) {
      assertInvalidUri(() => percentDecode(bad, path));
      assertInvalidUri(() => percentDecode(bad, query));
    }
  });

  it("round-trips any string encoded with encodeURIComponent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        assert.equal(percentDecode(encodeURIComponent(s), path), s);
        assert.equal(percentDecode(encodeURIComponent(s), query), s);
      }),
      { seed: 4242, numRuns: 500 },
    );
  });

  it("either decodes or throws InvalidURI, never anything else", () => {
    const chars = fc.constantFrom("%", "2", "f", "F", "C", "0", "8", "E", "+", "a", "/", "~", " ", "é");
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }), (parts) => {
        try {
          percentDecode(parts.join(""), path);
        } catch (err) {
          assert.ok(err instanceof ProxyError && err.code === "InvalidURI");
        }
      }),
      { seed: 7, numRuns: 1000 },
    );
  });
});
