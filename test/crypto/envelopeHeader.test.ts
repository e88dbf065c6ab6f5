import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createEnvelope } from "../../src/crypto/createEnvelope.ts";
import { decodeEnvelopeHeader, encodeEnvelopeHeader } from "../../src/crypto/envelopeHeader.ts";
import { deriveCommitment } from "../../src/crypto/keyDerivation.ts";
import { seededRandom, throwsWith } from "./helpers.ts";

const salt = Buffer.alloc(32, 0xaa);
const commitment = Buffer.alloc(32, 0xcc);

void describe("envelope header", () => {
  void it("encodes the documented 68-byte layout", () => {
    const h = encodeEnvelopeHeader({ segmentExponent: 16, layout: "multipart", salt, commitment });
    assert.equal(h.bytes.length, 68);
    assert.equal(h.bytes.subarray(0, 4).toString("hex"), "01011001");
    assert.deepEqual(h.bytes.subarray(4, 36), salt);
    assert.deepEqual(h.bytes.subarray(36), commitment);
    const back = decodeEnvelopeHeader(h.bytes);
    assert.equal(back.layout, "multipart");
    assert.equal(back.segmentExponent, 16);
    assert.deepEqual(back.salt, salt);
    assert.deepEqual(back.commitment, commitment);
    assert.equal(
      encodeEnvelopeHeader({ segmentExponent: 12, layout: "single", salt, commitment }).bytes[3],
      0,
    );
  });

  void it("copies its input", () => {
    const bytes = Buffer.from(
      encodeEnvelopeHeader({ segmentExponent: 16, layout: "single", salt, commitment }).bytes,
    );
    const h = decodeEnvelopeHeader(bytes);
    bytes.fill(0);
    assert.deepEqual(h.salt, salt);
  });

  void it("checks the version before anything else", () => {
    for (const version of [0, 2, 255]) {
      throwsWith(() => decodeEnvelopeHeader(Buffer.from([version])), "FormatUnsupportedVersion");
      throwsWith(
        () => decodeEnvelopeHeader(Buffer.concat([Buffer.from([version]), Buffer.alloc(67)])),
        "FormatUnsupportedVersion",
      );
      throwsWith(() => decodeEnvelopeHeader(Buffer.alloc(200, version)), "FormatUnsupportedVersion");
    }
    throwsWith(() => decodeEnvelopeHeader(Buffer.alloc(0)), "FormatMalformedEnvelope");
  });

  void it("rejects unknown suites, lengths, segment sizes and layouts", () => {
    const good = encodeEnvelopeHeader({ segmentExponent: 16, layout: "single", salt, commitment }).bytes;
    const with_ = (offset: number, value: number): Buffer => {
      const b = Buffer.from(good);
      b[offset] = value;
      return b;
    };
    throwsWith(() => decodeEnvelopeHeader(with_(1, 2)), "FormatUnsupportedAlgorithm");
    throwsWith(() => decodeEnvelopeHeader(with_(1, 0)), "FormatUnsupportedAlgorithm");
    throwsWith(() => decodeEnvelopeHeader(good.subarray(0, 67)), "FormatMalformedEnvelope");
    throwsWith(() => decodeEnvelopeHeader(Buffer.concat([good, Buffer.alloc(1)])), "FormatMalformedEnvelope");
    for (const e of [0, 11, 21, 64])
      throwsWith(() => decodeEnvelopeHeader(with_(2, e)), "FormatMalformedEnvelope");
    for (const layout of [2, 255])
      throwsWith(() => decodeEnvelopeHeader(with_(3, layout)), "FormatMalformedEnvelope");
  });

  void it("createEnvelope draws DEK then salt and commits to them", () => {
    const random = seededRandom("order");
    const expectedDek = Buffer.from(seededRandom("order")(32));
    const { header, dek } = createEnvelope({ layout: "single", randomBytes: random });
    assert.deepEqual(dek, expectedDek);
    assert.equal(header.segmentExponent, 16);
    assert.deepEqual(header.commitment, deriveCommitment(dek, header.salt));
  });

  void it("createEnvelope accepts a provider-generated DEK", () => {
    const dek = Buffer.alloc(32, 9);
    const env = createEnvelope({ layout: "multipart", dek, segmentExponent: 20 });
    assert.deepEqual(env.dek, dek);
    assert.equal(env.header.segmentExponent, 20);
    throwsWith(() => createEnvelope({ layout: "single", dek: Buffer.alloc(16) }), "KeyInvalid");
    assert.throws(() => createEnvelope({ layout: "single", segmentExponent: 11 }), RangeError);
  });
});
