import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createEnvelope } from "../../src/crypto/createEnvelope.ts";
import { derivePartKey } from "../../src/crypto/keyDerivation.ts";
import { openObjectKeys } from "../../src/crypto/objectKeys.ts";
import { seededRandom, throwsWith } from "./helpers.ts";

void describe("object keys", () => {
  const { header, dek } = createEnvelope({ layout: "multipart", randomBytes: seededRandom("ok") });

  void it("opens with the right DEK and derives part keys", () => {
    const keys = openObjectKeys(header, dek);
    const nonce = Buffer.alloc(8, 1);
    assert.deepEqual(keys.partKey(3, nonce), derivePartKey(dek, header.salt, 3, nonce));
    for (let p = 1; p <= 20; p++) keys.partKey(p, nonce); // exercises cache eviction
    assert.deepEqual(keys.partKey(3, nonce), derivePartKey(dek, header.salt, 3, nonce));
  });

  void it("rejects any other DEK by the key commitment, before decrypting", () => {
    throwsWith(() => openObjectKeys(header, Buffer.alloc(32)), "KeyCommitmentMismatch");
    const flipped = Buffer.from(dek);
    flipped[31] = (flipped[31] ?? 0) ^ 1;
    throwsWith(() => openObjectKeys(header, flipped), "KeyCommitmentMismatch");
    throwsWith(() => openObjectKeys(header, dek.subarray(0, 16)), "KeyInvalid");
  });

  void it("rejects the DEK of another object (wrapped DEK swapped between objects)", () => {
    const other = createEnvelope({ layout: "multipart", randomBytes: seededRandom("other") });
    throwsWith(() => openObjectKeys(header, other.dek), "KeyCommitmentMismatch");
  });
});
