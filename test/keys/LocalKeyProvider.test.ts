/** LocalKeyProvider beyond the shared contract: construction checks, key privacy, the exact aeskw output. */
import assert from "node:assert/strict";
import { createSecretKey } from "node:crypto";
import { inspect } from "node:util";
import { describe, it } from "node:test";
import { createEnvelope, openObjectKeys, unwrapDekAesKw } from "../../src/crypto/index.ts";
import { dekContextFor } from "../../src/keys/dekContext.ts";
import { LocalKeyProvider } from "../../src/keys/LocalKeyProvider.ts";
import { assertNoSecrets, keyBytes, seededRandom, sourceError, testKeySet } from "./helpers.ts";

const set = testKeySet(["lk-1", "lk-2", "lk-3"], "lk-2");

void describe("LocalKeyProvider", () => {
  void it("lists its ids in key-set order and uses the aeskw scheme", () => {
    const provider = new LocalKeyProvider(set);
    assert.equal(provider.scheme, "aeskw");
    assert.deepEqual(provider.listKekIds(), ["lk-1", "lk-2", "lk-3"]);
    assert.equal(provider.activeKekId(), "lk-2");
  });

  void it("validates the key set it is given, naming the source", async () => {
    await sourceError(
      () =>
        new LocalKeyProvider(
          { active: "z", keys: [{ id: "z", key: createSecretKey(Buffer.alloc(32)) }] },
          "test keys",
        ),
      [/^test keys: key "z" is all zeros/],
    );
    await sourceError(
      () => new LocalKeyProvider({ active: "lk-9", keys: set.keys }),
      [/the active key "lk-9"/],
    );
  });

  void it("shows no key bytes when inspected or serialized", () => {
    const provider = new LocalKeyProvider(set);
    const texts = [inspect(provider, { depth: 10, showHidden: true }), JSON.stringify(provider)];
    for (const text of texts) assertNoSecrets(text, keyBytes(set), "provider");
  });

  void it("writes exactly the 40-byte RFC 3394 wrap of the DEK under the active key", async () => {
    const provider = new LocalKeyProvider(set);
    const { header, dek } = createEnvelope({ layout: "single", randomBytes: seededRandom("lk-envelope") });
    const { kekRef, wrappedDek } = await provider.wrapDek(dek, dekContextFor(header));
    assert.equal(kekRef, "aeskw:lk-2");
    assert.equal(wrappedDek.length, 40);
    assert.deepEqual(unwrapDekAesKw(keyBytes(set)[1]!, wrappedDek), dek);
    // The unwrapped DEK opens the object: the envelope's key commitment matches.
    const unwrapped = await provider.unwrapDek(kekRef, wrappedDek, dekContextFor(header));
    assert.doesNotThrow(() => openObjectKeys(header, unwrapped));
  });

  void it("refuses a malformed KEK reference as not found", async () => {
    const provider = new LocalKeyProvider(set);
    for (const ref of ["aeskw", "aeskw:", "AESKW:lk-2", "aeskw:lk 2", ""]) {
      await assert.rejects(
        provider.unwrapDek(ref, Buffer.alloc(40), { formatVersion: 1, salt: Buffer.alloc(32) }),
        {
          code: "KekNotFound",
        },
      );
    }
  });
});
