/**
 * Fixed vectors through the provider, not just the primitive: RFC 3394 §4.6 (a 256-bit KEK wrapping 256 bits
 * of key data, i.e. exactly an aeskw DEK) and every local-KEK object of the frozen format vectors, so the
 * provider writes and reads the bytes docs/FORMAT.md specifies.
 */
import assert from "node:assert/strict";
import { createSecretKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { isKeyProviderError } from "../../src/keys/errors.ts";
import { LocalKeyProvider } from "../../src/keys/LocalKeyProvider.ts";
import { parseKekRef } from "../../src/keys/kekRef.ts";

interface Rfc3394Vector {
  section: string;
  kek: string;
  keyData: string;
  ciphertext: string;
}

interface FormatVector {
  name: string;
  inputs: { kekRef: string; kek?: string; dek: string };
  expected: { wrappedDek: string };
}

const read = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), "utf8")) as T;
const hex = (s: string): Buffer => Buffer.from(s, "hex");
const context = { formatVersion: 1, salt: Buffer.alloc(32, 7) };

function providerFor(id: string, kekHex: string): LocalKeyProvider {
  return new LocalKeyProvider({ active: id, keys: [{ id, key: createSecretKey(hex(kekHex)) }] });
}

void describe("LocalKeyProvider vectors", () => {
  const rfc = read<{ vectors: Rfc3394Vector[] }>("rfc3394.json").vectors.find((v) => v.section === "4.6");

  void it("wraps and unwraps RFC 3394 §4.6 (256-bit KEK, 256-bit key data)", async () => {
    assert.ok(rfc, "rfc3394.json has §4.6");
    const provider = providerFor("rfc3394-4.6", rfc.kek);
    const wrapped = await provider.wrapDek(hex(rfc.keyData), context);
    assert.equal(wrapped.kekRef, "aeskw:rfc3394-4.6");
    assert.equal(wrapped.wrappedDek.toString("hex"), rfc.ciphertext.toLowerCase());
    const dek = await provider.unwrapDek("aeskw:rfc3394-4.6", hex(rfc.ciphertext), context);
    assert.equal(dek.toString("hex"), rfc.keyData.toLowerCase());
  });

  const format = read<{ vectors: FormatVector[] }>("format-v1.json").vectors;
  const local = format.filter((v) => parseKekRef(v.inputs.kekRef)?.scheme === "aeskw");

  void it("covers the local-KEK format vectors", () => {
    assert.ok(local.length >= 6, `only ${local.length} aeskw vectors`);
  });

  for (const v of local) {
    void it(`reproduces the wrapped DEK of format vector ${v.name}`, async () => {
      const { id } = parseKekRef(v.inputs.kekRef)!;
      const provider = providerFor(id, v.inputs.kek!);
      const wrapped = await provider.wrapDek(hex(v.inputs.dek), context);
      assert.equal(wrapped.kekRef, v.inputs.kekRef);
      assert.equal(wrapped.wrappedDek.toString("hex"), v.expected.wrappedDek);
      assert.equal(
        (await provider.unwrapDek(v.inputs.kekRef, hex(v.expected.wrappedDek), context)).toString("hex"),
        v.inputs.dek,
      );
    });
  }

  void it("leaves other schemes of the format vectors to their providers (KekNotFound)", async () => {
    const remote = format.filter((v) => parseKekRef(v.inputs.kekRef)?.scheme !== "aeskw");
    assert.ok(remote.length >= 1);
    const provider = providerFor("test-kek-1", "11".repeat(32));
    for (const v of remote) {
      await assert.rejects(provider.unwrapDek(v.inputs.kekRef, hex(v.expected.wrappedDek), context), (err) =>
        isKeyProviderError(err, "KekNotFound"),
      );
    }
  });
});
