/** The --legacy-* flags as configuration, and the S3 errors legacy failures become. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { legacyConfig } from "../../src/cli/legacyOptions.ts";
import { parseByteSize } from "../../src/cli/parseByteSize.ts";
import { ERROR_CODES } from "../../src/errors/errorCodes.ts";
import { LegacyError, LEGACY_ERROR_CODES, type LegacyErrorCode } from "../../src/legacy/index.ts";
import { toPipelineError } from "../../src/pipeline/encryptErrors.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";

describe("legacy configuration", () => {
  it("parses sizes with binary suffixes", () => {
    assert.equal(parseByteSize("256MiB"), 256 * 2 ** 20);
    assert.equal(parseByteSize("1gib"), 2 ** 30);
    assert.equal(parseByteSize("512KiB"), 512 * 1024);
    assert.equal(parseByteSize("1000"), 1000);
    for (const bad of ["0", "-1", "1.5MiB", "1 MB", "", "MiB"])
      assert.equal(parseByteSize(bad), undefined, bad);
  });

  it("defaults to no legacy KEK, no zero KEK, 256 MiB", () => {
    const config = legacyConfig({ "legacy-allow-zero-kek": false, "legacy-max-size": "256MiB" });
    assert.deepEqual(config, { kekFile: undefined, allowZeroKek: false, maxObjectBytes: 256 * 2 ** 20 });
    assert.throws(
      () => legacyConfig({ "legacy-allow-zero-kek": false, "legacy-max-size": "lots" }),
      /--legacy-max-size/,
    );
  });

  it("maps every legacy failure to a documented S3 error, never to the stored bytes", () => {
    const expected: Record<LegacyErrorCode, string> = {
      LegacyKekMissing: "ProxyLegacyKekMissing",
      LegacyTooLarge: "ProxyLegacyObjectTooLarge",
      LegacyMemoryBusy: "ServiceUnavailable",
      LegacyMetadataMalformed: "ProxyDecryptFailed",
      LegacyUnwrapFailed: "ProxyDecryptFailed",
      LegacyDecryptFailed: "ProxyDecryptFailed",
    };
    for (const code of Object.keys(LEGACY_ERROR_CODES) as LegacyErrorCode[]) {
      const mapped = toPipelineError(new LegacyError(code, "m"), true);
      assert.ok(mapped instanceof ProxyError, code);
      assert.equal(mapped.code, expected[code], code);
      assert.ok(mapped.code in ERROR_CODES);
    }
    assert.equal(ERROR_CODES.ProxyLegacyKekMissing.status, 501);
  });
});
