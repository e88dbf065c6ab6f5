/**
 * The Constellation reader (src/legacy/) on the fixtures pyca/cryptography wrote
 * (test/vectors/legacy/constellation-v1.json): the marker, the AES-KWP unwrap (@noble/ciphers against OpenSSL's
 * output), the legacy KEK and the zero-KEK opt-in, and every way an object must fail closed.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { aeskwp } from "@noble/ciphers/aes.js";
import {
  CONSTELLATION_OVERHEAD,
  constellationPlaintextLength,
  hasConstellationMetadata,
  isLegacyError,
  NO_LEGACY_KEYS,
  openConstellationObject,
  readConstellationEnvelope,
  unwrapConstellationDek,
  type LegacyErrorCode,
} from "../../src/legacy/index.ts";
import { FIXTURE_KEK, fixture, fixtureHeaders, storedBody, vectors } from "./constellationVectors.ts";

const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
const code = (c: LegacyErrorCode) => (e: unknown) => isLegacyError(e, c);
const both = { kek: FIXTURE_KEK, allowZeroKek: true };

describe("Constellation fixtures (pyca/cryptography)", () => {
  it("were produced by another implementation and cover both KEKs, empty, small and multi-segment bodies", () => {
    assert.match(vectors.library, /^pyca\/cryptography /);
    const names = vectors.objects.map((o) => o.name);
    assert.deepEqual(names, ["small-normal", "empty-normal", "multi-normal", "small-zero", "multi-zero"]);
    assert.equal(vectors.keks.zero, "00".repeat(32));
    for (const f of vectors.objects) {
      assert.equal(f.storedLength, f.plaintextLength + CONSTELLATION_OVERHEAD, f.name);
      assert.equal(constellationPlaintextLength(f.storedLength), f.plaintextLength, f.name);
    }
  });

  it("@noble/ciphers aeskwp unwraps the DEKs OpenSSL wrapped (RFC 5649)", () => {
    for (const f of vectors.objects) {
      const kek = Buffer.from(vectors.keks[f.kek], "hex");
      const wrapped = Buffer.from(f.metadata["constellation-dek"] ?? "", "hex");
      assert.equal(wrapped.length, 40, f.name);
      assert.equal(Buffer.from(aeskwp(kek).decrypt(wrapped)).toString("hex"), f.dekHex, f.name);
    }
  });
});

describe("readConstellationEnvelope", () => {
  it("finds the marker in response headers, case-insensitively", () => {
    const f = fixture("small-normal");
    const headers = fixtureHeaders(f);
    assert.equal(hasConstellationMetadata(headers), true);
    assert.equal(
      readConstellationEnvelope(headers)?.wrappedDek.toString("hex"),
      f.metadata["constellation-dek"],
    );
    const upper = { "X-Amz-Meta-Constellation-Dek": (f.metadata["constellation-dek"] ?? "").toUpperCase() };
    assert.equal(
      readConstellationEnvelope(upper)?.wrappedDek.toString("hex"),
      f.metadata["constellation-dek"],
    );
  });

  it("is null without the marker, and an error (never 'plaintext') when the marker is unreadable", () => {
    assert.equal(readConstellationEnvelope({ "x-amz-meta-owner": "alice" }), null);
    assert.equal(hasConstellationMetadata({ "content-type": "text/plain" }), false);
    const hex = fixture("small-normal").metadata["constellation-dek"] ?? "";
    for (const bad of ["", hex.slice(2), `${hex}00`, `${hex.slice(1)}g`, ` ${hex}`, [hex, hex]]) {
      assert.throws(
        () => readConstellationEnvelope({ "x-amz-meta-constellation-dek": bad }),
        code("LegacyMetadataMalformed"),
        JSON.stringify(bad).slice(0, 20),
      );
    }
  });
});

describe("openConstellationObject", () => {
  it("decrypts the normal-KEK fixtures with the legacy KEK", async () => {
    for (const name of ["small-normal", "empty-normal", "multi-normal"]) {
      const f = fixture(name);
      const envelope = readConstellationEnvelope(fixtureHeaders(f));
      assert.ok(envelope);
      const opened = await openConstellationObject(storedBody(f), envelope, {
        kek: FIXTURE_KEK,
        allowZeroKek: false,
      });
      assert.equal(opened.kekUsed, "configured");
      assert.equal(opened.plaintext.length, f.plaintextLength, name);
      assert.equal(sha256(opened.plaintext), f.plaintextSha256, name);
      if (f.plaintextBase64 !== undefined)
        assert.equal(opened.plaintext.toString("base64"), f.plaintextBase64);
    }
  });

  it("decrypts the zero-KEK fixtures only with --legacy-allow-zero-kek, and says so", async () => {
    for (const name of ["small-zero", "multi-zero"]) {
      const f = fixture(name);
      const envelope = readConstellationEnvelope(fixtureHeaders(f));
      assert.ok(envelope);
      await assert.rejects(
        openConstellationObject(storedBody(f), envelope, { kek: FIXTURE_KEK, allowZeroKek: false }),
        code("LegacyUnwrapFailed"),
      );
      await assert.rejects(
        openConstellationObject(storedBody(f), envelope, NO_LEGACY_KEYS),
        code("LegacyKekMissing"),
      );
      for (const keys of [{ kek: undefined, allowZeroKek: true }, both]) {
        const opened = await openConstellationObject(storedBody(f), envelope, keys);
        assert.equal(opened.kekUsed, "zero");
        assert.equal(sha256(opened.plaintext), f.plaintextSha256, name);
      }
    }
  });

  it("prefers the configured KEK when both are allowed", () => {
    const envelope = readConstellationEnvelope(fixtureHeaders(fixture("small-normal")));
    assert.ok(envelope);
    const unwrapped = unwrapConstellationDek(envelope, both);
    assert.equal(unwrapped.kekUsed, "configured");
    assert.equal(unwrapped.dek.toString("hex"), fixture("small-normal").dekHex);
  });

  it("refuses without keys, with a wrong KEK, and with the zero KEK alone for a normal object", async () => {
    const f = fixture("small-normal");
    const envelope = readConstellationEnvelope(fixtureHeaders(f));
    assert.ok(envelope);
    await assert.rejects(
      openConstellationObject(storedBody(f), envelope, NO_LEGACY_KEYS),
      code("LegacyKekMissing"),
    );
    const wrong = Buffer.from(FIXTURE_KEK);
    wrong[31] = (wrong[31] ?? 0) ^ 1;
    await assert.rejects(
      openConstellationObject(storedBody(f), envelope, { kek: wrong, allowZeroKek: false }),
      (e) => code("LegacyUnwrapFailed")(e) && !String((e as Error).message).includes(wrong.toString("hex")),
    );
    await assert.rejects(
      openConstellationObject(storedBody(f), envelope, { kek: undefined, allowZeroKek: true }),
      code("LegacyUnwrapFailed"),
    );
  });

  it("fails a tampered body, tag, nonce, wrapped DEK or a swapped body, and a truncated object", async () => {
    const f = fixture("multi-normal");
    const keys = { kek: FIXTURE_KEK, allowZeroKek: false };
    const envelope = readConstellationEnvelope(fixtureHeaders(f));
    assert.ok(envelope);
    for (const at of [0, 11, 12, 70_000, f.storedLength - 17, f.storedLength - 16, f.storedLength - 1]) {
      const body = storedBody(f);
      body[at] = (body[at] ?? 0) ^ 0x01;
      await assert.rejects(
        openConstellationObject(body, envelope, keys),
        code("LegacyDecryptFailed"),
        `byte ${at}`,
      );
    }
    const wrapped = Buffer.from(envelope.wrappedDek);
    wrapped[5] = (wrapped[5] ?? 0) ^ 0x80;
    await assert.rejects(
      openConstellationObject(storedBody(f), { wrappedDek: wrapped }, keys),
      code("LegacyUnwrapFailed"),
    );
    // Another object's body under this object's DEK.
    await assert.rejects(
      openConstellationObject(storedBody(fixture("small-normal")), envelope, keys),
      code("LegacyDecryptFailed"),
    );
    for (const length of [0, 27, 28, f.storedLength - 1]) {
      await assert.rejects(
        openConstellationObject(storedBody(f).subarray(0, length), envelope, keys),
        code("LegacyDecryptFailed"),
        `length ${length}`,
      );
    }
  });
});
