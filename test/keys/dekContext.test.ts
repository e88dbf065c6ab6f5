/** The DekContext: built from the immutable envelope header only, with a fixed string encoding for KMS. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createEnvelope, decodeEnvelopeHeader } from "../../src/crypto/index.ts";
import { dekContextFor, dekContextPairs } from "../../src/keys/dekContext.ts";
import { seededRandom } from "./helpers.ts";

void describe("DekContext", () => {
  void it("is the header's version and salt, and the same after the header is read back", () => {
    const { header } = createEnvelope({ layout: "multipart", randomBytes: seededRandom("ctx") });
    const context = dekContextFor(header);
    assert.equal(context.formatVersion, 1);
    assert.deepEqual(context.salt, header.salt);
    assert.deepEqual(
      dekContextPairs(dekContextFor(decodeEnvelopeHeader(header.bytes))),
      dekContextPairs(context),
    );
  });

  void it("encodes as two fixed string pairs (the KMS EncryptionContext), nothing about bucket or key", () => {
    const salt = Buffer.from("7f712f76ab664c8821fdd85ec1d6a64b442829e1afc219fbd8c978a495704869", "hex");
    assert.deepEqual(dekContextPairs({ formatVersion: 1, salt }), {
      "s3proxy-format": "1",
      "s3proxy-salt": "f3EvdqtmTIgh_dhewdamS0QoKeGvwhn72Ml4pJVwSGk",
    });
  });
});
