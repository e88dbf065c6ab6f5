import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decodeBase64url, encodeBase64url } from "../../src/crypto/base64url.ts";

void describe("strict base64url", () => {
  void it("round-trips any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64url(bytes);
        assert.match(text, /^[A-Za-z0-9_-]*$/);
        assert.deepEqual(decodeBase64url(text), Buffer.from(bytes));
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  void it("rejects padding, foreign characters, impossible lengths and non-canonical trailing bits", () => {
    for (const bad of ["AQ==", "AQ=", "A+8", "A/8", "AQ B", "AQ\n", "A", "AQID_", "AR", "AQJ"]) {
      assert.equal(decodeBase64url(bad), undefined, bad);
    }
    assert.deepEqual(decodeBase64url("AQ"), Buffer.from([1]));
    assert.deepEqual(decodeBase64url(""), Buffer.alloc(0));
  });
});
