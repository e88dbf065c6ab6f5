/**
 * The KMS provider against a recording fake of the KMS API: what it sends (key, EncryptionContext, 32 bytes),
 * what it refuses to send, how DescribeKey checks the configured key at start, and how the reference is built
 * from the key KMS reports. The real protocol (moto) is kmsKeyProvider.contract.test.ts's.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isCryptoError } from "../../src/crypto/index.ts";
import { dekContextPairs } from "../../src/keys/dekContext.ts";
import { isKeyProviderError } from "../../src/keys/errors.ts";
import type { KmsApi, KmsKeyDescription } from "../../src/keys/kmsApi.ts";
import { KmsKeyProvider } from "../../src/keys/KmsKeyProvider.ts";

const ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OLD_ARN = "arn:aws:kms:eu-west-1:111122223333:key/0000abcd-12ab-34cd-56ef-1234567890ab";
const context = { formatVersion: 1, salt: Buffer.alloc(32, 0x11) };

interface Call {
  op: string;
  keyId: string;
  context?: Record<string, string>;
}

function fakeKms(describe: Partial<KmsKeyDescription> = {}): KmsApi & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    describeKey(keyId) {
      calls.push({ op: "DescribeKey", keyId });
      const arn = keyId === "alias/old" ? OLD_ARN : ARN;
      return Promise.resolve({
        arn,
        keyState: "Enabled",
        keyUsage: "ENCRYPT_DECRYPT",
        keySpec: "SYMMETRIC_DEFAULT",
        ...describe,
      });
    },
    encrypt(keyId, plaintext, ctx) {
      calls.push({ op: "Encrypt", keyId, context: ctx });
      return Promise.resolve({ keyId: ARN, ciphertext: Buffer.concat([Buffer.from("blob:"), plaintext]) });
    },
    decrypt(keyId, ciphertext, ctx) {
      calls.push({ op: "Decrypt", keyId, context: ctx });
      return Promise.resolve({ keyId: ARN, plaintext: new Uint8Array(ciphertext.subarray(5)) });
    },
    generateDataKey(keyId, n, ctx) {
      calls.push({ op: "GenerateDataKey", keyId, context: ctx });
      const plaintext = new Uint8Array(n).fill(0x42);
      return Promise.resolve({
        keyId: ARN,
        plaintext,
        ciphertext: Buffer.concat([Buffer.from("blob:"), plaintext]),
      });
    },
  };
}

void describe("KmsKeyProvider", () => {
  it("resolves the configured key (an alias here) to its ARN, and the old keys too", async () => {
    const kms = fakeKms();
    const provider = await KmsKeyProvider.create(kms, { keyId: "alias/s3proxy", oldKeyIds: ["alias/old"] });
    assert.equal(provider.scheme, "kms");
    assert.equal(provider.activeKekId(), ARN);
    assert.deepEqual(provider.listKekIds(), [ARN, OLD_ARN]);
    assert.deepEqual(
      kms.calls.map((c) => `${c.op} ${c.keyId}`),
      ["DescribeKey alias/s3proxy", "DescribeKey alias/old"],
    );
  });

  it("refuses to start with a key that is not enabled or not a symmetric encryption key", async () => {
    for (const [describe, pattern] of [
      [{ keyState: "Disabled" }, /is Disabled, not Enabled/],
      [{ keyState: "PendingDeletion" }, /is PendingDeletion/],
      [{ keySpec: "RSA_2048" }, /symmetric encryption key/],
      [{ keyUsage: "GENERATE_VERIFY_MAC" }, /symmetric encryption key/],
    ] as const) {
      const err = await KmsKeyProvider.create(fakeKms(describe), { keyId: "k" }).catch((e: unknown) => e);
      assert.ok(isKeyProviderError(err, "KekNotFound"), String(err));
      assert.match((err as Error).message, pattern);
    }
  });

  it("wraps with Encrypt under the active key, binding dekContextPairs(context)", async () => {
    const kms = fakeKms();
    const provider = new KmsKeyProvider(kms, ARN);
    const { kekRef, wrappedDek } = await provider.wrapDek(Buffer.alloc(32, 1), context);
    assert.equal(kekRef, `kms:${ARN}`);
    assert.deepEqual(kms.calls, [{ op: "Encrypt", keyId: ARN, context: dekContextPairs(context) }]);
    assert.deepEqual(kms.calls[0]!.context, {
      "s3proxy-format": "1",
      "s3proxy-salt": Buffer.alloc(32, 0x11).toString("base64url"),
    });
    assert.deepEqual(await provider.unwrapDek(kekRef, wrappedDek, context), Buffer.alloc(32, 1));
    assert.deepEqual(kms.calls[1], { op: "Decrypt", keyId: ARN, context: dekContextPairs(context) });
  });

  it("names the key KMS reports in the reference", async () => {
    const kms = fakeKms();
    const provider = new KmsKeyProvider(kms, OLD_ARN); // configured one key; KMS answers with another
    const { kekRef } = await provider.wrapDek(Buffer.alloc(32, 1), context);
    assert.equal(kekRef, `kms:${ARN}`);
  });

  it("generates 32-byte data keys with GenerateDataKey", async () => {
    const kms = fakeKms();
    const provider = new KmsKeyProvider(kms, ARN);
    const { dek, kekRef, wrappedDek } = await provider.generateDataKey(context);
    assert.equal(dek.length, 32);
    assert.equal(kekRef, `kms:${ARN}`);
    assert.deepEqual(await provider.unwrapDek(kekRef, wrappedDek, context), dek);
    assert.deepEqual(kms.calls[0], { op: "GenerateDataKey", keyId: ARN, context: dekContextPairs(context) });
  });

  it("decrypts with the reference's key, whichever key is active", async () => {
    const kms = fakeKms();
    const provider = new KmsKeyProvider(kms, ARN);
    await provider.unwrapDek(
      `kms:${OLD_ARN}`,
      Buffer.concat([Buffer.from("blob:"), Buffer.alloc(32)]),
      context,
    );
    assert.equal(kms.calls[0]!.keyId, OLD_ARN);
  });

  it("refuses without asking KMS: a DEK that is not 32 bytes, an empty or oversized blob, another scheme", async () => {
    const kms = fakeKms();
    const provider = new KmsKeyProvider(kms, ARN);
    for (const length of [0, 16, 31, 33, 64]) {
      const err = await provider.wrapDek(Buffer.alloc(length, 1), context).catch((e: unknown) => e);
      assert.ok(isCryptoError(err), `${length} bytes`);
    }
    for (const blob of [Buffer.alloc(0), Buffer.alloc(6145, 1)]) {
      const err = await provider.unwrapDek(`kms:${ARN}`, blob, context).catch((e: unknown) => e);
      assert.ok(isKeyProviderError(err, "DekUnwrapFailed"));
    }
    const err = await provider.unwrapDek(`aeskw:${ARN}`, Buffer.alloc(40), context).catch((e: unknown) => e);
    assert.ok(isKeyProviderError(err, "KekNotFound"));
    assert.deepEqual(kms.calls, []);
  });

  it("refuses (and zeroes) a decrypted plaintext that is not a 32-byte DEK", async () => {
    const kms = fakeKms();
    let returned: Uint8Array | undefined;
    kms.decrypt = () => {
      returned = new Uint8Array(16).fill(7);
      return Promise.resolve({ keyId: ARN, plaintext: returned });
    };
    const provider = new KmsKeyProvider(kms, ARN);
    const err = await provider
      .unwrapDek(`kms:${ARN}`, Buffer.alloc(100, 1), context)
      .catch((e: unknown) => e);
    assert.ok(isKeyProviderError(err, "DekUnwrapFailed"));
    assert.ok(returned!.every((b) => b === 0));
  });

  it("maps KMS failures (kmsKeyError.ts): NotFound on Decrypt is KekNotFound naming the reference", async () => {
    const kms = fakeKms();
    kms.decrypt = () =>
      Promise.reject(
        Object.assign(new Error("Invalid keyId"), { name: "NotFoundException", $fault: "client" }),
      );
    const provider = new KmsKeyProvider(kms, ARN);
    const err = await provider
      .unwrapDek("kms:alias/gone", Buffer.alloc(100, 1), context)
      .catch((e: unknown) => e);
    assert.ok(isKeyProviderError(err, "KekNotFound"));
    assert.match((err as Error).message, /kms:alias\/gone/);
  });
});
