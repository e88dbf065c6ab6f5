import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  CRYPTO_ERROR_CODES,
  CryptoError,
  DecryptError,
  FormatError,
  isCryptoError,
  KeyError,
  LengthError,
} from "../../src/crypto/errors.ts";

const spec = readFileSync(new URL("../../docs/FORMAT.md", import.meta.url), "utf8");

void describe("crypto errors", () => {
  void it("every code is documented in docs/FORMAT.md", () => {
    for (const code of Object.keys(CRYPTO_ERROR_CODES))
      assert.ok(spec.includes(`\`${code}\``), `${code} undocumented`);
  });

  void it("carry a stable code and their category", () => {
    const err = new DecryptError("DecryptTruncated", "short", { cause: new Error("io") });
    assert.ok(err instanceof CryptoError && err instanceof Error);
    assert.equal(err.code, "DecryptTruncated");
    assert.equal(err.name, "DecryptError");
    assert.ok(err.cause instanceof Error);
    assert.ok(isCryptoError(err));
    assert.ok(isCryptoError(err, "DecryptTruncated"));
    assert.ok(!isCryptoError(err, "DecryptAuthFailed"));
    assert.ok(!isCryptoError(new Error("x")));
    assert.equal(new FormatError("FormatUnsupportedVersion", "v9").name, "FormatError");
    assert.equal(new KeyError("KeyUnwrapFailed", "k").name, "KeyError");
    assert.equal(new LengthError("RangeInvalid", "r").name, "LengthError");
  });
});
