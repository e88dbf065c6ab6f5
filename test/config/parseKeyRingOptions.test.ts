/** The key-ring flags of `s3proxy serve` as typed configuration: defaults, the KMS Region, refusals. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseKeyRingOptions, type KeyRingOptions } from "../../src/config/parseKeyRingOptions.ts";
import { activeKekProvider } from "../../src/keys/keyRingConfig.ts";

const base: KeyRingOptions = {
  kekProvider: undefined,
  kmsKeyId: undefined,
  kmsOldKeyIds: [],
  kmsEndpoint: undefined,
  region: "us-east-1",
  dekCacheTtlSeconds: 300,
  dekCacheSize: 10_000,
};
const ARN = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

void describe("parseKeyRingOptions", () => {
  it("without KMS: local keys wrap, default cache", () => {
    const config = parseKeyRingOptions(base);
    assert.deepEqual(config, {
      kekProvider: undefined,
      kms: undefined,
      dekCache: { ttlMs: 300_000, maxEntries: 10_000 },
    });
    assert.equal(activeKekProvider(config), "local");
  });

  it("with --kms-key-id: KMS wraps unless --kek-provider local says otherwise", () => {
    const config = parseKeyRingOptions({ ...base, kmsKeyId: "alias/s3proxy", kmsOldKeyIds: ["old-1", " "] });
    assert.deepEqual(config.kms, {
      keyId: "alias/s3proxy",
      oldKeyIds: ["old-1"],
      endpoint: undefined,
      region: "us-east-1",
    });
    assert.equal(activeKekProvider(config), "kms");
    assert.equal(
      activeKekProvider(parseKeyRingOptions({ ...base, kmsKeyId: "k", kekProvider: "local" })),
      "local",
    );
  });

  it("takes the Region of a key ARN (KMS keys are regional), else --region", () => {
    assert.equal(parseKeyRingOptions({ ...base, kmsKeyId: ARN }).kms?.region, "eu-central-1");
    assert.equal(
      parseKeyRingOptions({ ...base, kmsKeyId: "arn:aws-cn:kms:cn-north-1:111122223333:alias/x" }).kms
        ?.region,
      "cn-north-1",
    );
    assert.equal(
      parseKeyRingOptions({ ...base, kmsKeyId: "alias/x", region: "ap-south-1" }).kms?.region,
      "ap-south-1",
    );
  });

  it("0 disables the cache; fractions of a second are fine for the TTL", () => {
    assert.deepEqual(parseKeyRingOptions({ ...base, dekCacheTtlSeconds: 0 }).dekCache, {
      ttlMs: 0,
      maxEntries: 10_000,
    });
    assert.equal(parseKeyRingOptions({ ...base, dekCacheTtlSeconds: 0.25 }).dekCache.ttlMs, 250);
  });

  it("refuses inconsistent or invalid flags", () => {
    const cases: Array<[Partial<KeyRingOptions>, RegExp]> = [
      [{ kekProvider: "kms" }, /--kek-provider kms needs --kms-key-id/],
      [{ kekProvider: "vault" }, /--kek-provider must be one of local, kms/],
      [{ kmsEndpoint: "http://127.0.0.1:5000" }, /need --kms-key-id/],
      [{ kmsOldKeyIds: ["k"] }, /need --kms-key-id/],
      [{ dekCacheTtlSeconds: -1 }, /--dek-cache-ttl must be a non-negative number/],
      [{ dekCacheTtlSeconds: Number.NaN }, /--dek-cache-ttl/],
      [{ dekCacheSize: 1.5 }, /--dek-cache-size must be a non-negative integer/],
    ];
    for (const [options, pattern] of cases)
      assert.throws(() => parseKeyRingOptions({ ...base, ...options }), pattern);
  });
});
