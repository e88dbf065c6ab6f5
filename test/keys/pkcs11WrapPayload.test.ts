/** The `pkcs11` payload: DEK || 16-byte context tag, opened only under the same context. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DekContext } from "../../src/keys/dekContext.ts";
import {
  PKCS11_PAYLOAD_LENGTH,
  PKCS11_WRAPPED_DEK_LENGTH,
  pkcs11ContextTag,
  pkcs11OpenPayload,
  pkcs11WrapPayload,
} from "../../src/keys/pkcs11/pkcs11WrapPayload.ts";
import { seededRandom } from "./helpers.ts";

const salt = (seed: string): Buffer => Buffer.from(seededRandom(`salt/${seed}`)(32));
const context = (seed: string, formatVersion = 1): DekContext => ({ formatVersion, salt: salt(seed) });
const dek = Buffer.from(seededRandom("payload dek")(32));

void describe("pkcs11 wrap payload", () => {
  void it("is the DEK followed by a 16-byte tag; the wrapped form is 56 bytes", () => {
    const payload = pkcs11WrapPayload(dek, context("a"));
    assert.equal(payload.length, PKCS11_PAYLOAD_LENGTH);
    assert.equal(PKCS11_WRAPPED_DEK_LENGTH, 56);
    assert.deepEqual(payload.subarray(0, 32), dek);
    assert.deepEqual(payload.subarray(32), pkcs11ContextTag(context("a")));
  });

  void it("has a fixed tag for a fixed context (a vector for other implementations)", () => {
    const fixed: DekContext = { formatVersion: 1, salt: Buffer.alloc(32, 0x11) };
    // SHA-256("s3proxy/v1 pkcs11 dek context" || 01 20 || 11 × 32), first 16 bytes.
    assert.equal(pkcs11ContextTag(fixed).toString("hex"), EXPECTED_FIXED_TAG);
  });

  void it("opens only under the same format version and salt", () => {
    const payload = pkcs11WrapPayload(dek, context("a"));
    assert.deepEqual(pkcs11OpenPayload(payload, context("a")), dek);
    assert.equal(pkcs11OpenPayload(payload, context("b")), undefined);
    assert.equal(pkcs11OpenPayload(payload, context("a", 2)), undefined);
    assert.equal(pkcs11OpenPayload(payload.subarray(0, 47), context("a")), undefined);
    assert.equal(pkcs11OpenPayload(Buffer.concat([payload, Buffer.alloc(1)]), context("a")), undefined);
  });

  void it("returns a copy of the DEK and refuses DEKs that are not 32 bytes", () => {
    const payload = pkcs11WrapPayload(dek, context("a"));
    const opened = pkcs11OpenPayload(payload, context("a"))!;
    payload.fill(0);
    assert.deepEqual(opened, dek);
    assert.throws(() => pkcs11WrapPayload(dek.subarray(1), context("a")), { code: "KeyInvalid" });
    assert.throws(() => pkcs11ContextTag({ formatVersion: 256, salt: salt("x") }), { code: "KeyInvalid" });
  });
});

const EXPECTED_FIXED_TAG = "7e1dd3e1143ba9540bd311402425a919";
