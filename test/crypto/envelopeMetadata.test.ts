import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeBase64url } from "../../src/crypto/base64url.ts";
import { createEnvelope } from "../../src/crypto/createEnvelope.ts";
import {
  encodeEnvelopeMetadata,
  isValidKekRef,
  kekScheme,
  metadataBytes,
  readEnvelopeMetadata,
} from "../../src/crypto/envelopeMetadata.ts";
import {
  KEK_REF_MAX_LENGTH,
  META_DEK,
  META_HEADER,
  META_KEK,
  META_MD5,
  S3_USER_METADATA_LIMIT,
  WRAPPED_DEK_MAX_LENGTH,
} from "../../src/crypto/formatConstants.ts";
import { wrapDekAesKw } from "../../src/crypto/keyWrap.ts";
import { seededRandom, throwsWith } from "./helpers.ts";

const { header, dek } = createEnvelope({ layout: "single", randomBytes: seededRandom("meta") });
const wrappedDek = wrapDekAesKw(Buffer.alloc(32, 5), dek);
const local = { header, kekRef: "aeskw:prod-2025", wrappedDek };
const KMS_ARN = "kms:arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

void describe("envelope metadata", () => {
  void it("writes three lowercase x-amz-meta-s3proxy-* headers", () => {
    const meta = encodeEnvelopeMetadata(local);
    assert.deepEqual(Object.keys(meta).sort(), [META_DEK, META_HEADER, META_KEK]);
    for (const name of Object.keys(meta)) assert.equal(name, name.toLowerCase());
    assert.equal(meta[META_HEADER]?.length, 91);
    assert.equal(meta[META_KEK], "aeskw:prod-2025");
    assert.equal(meta[META_DEK]?.length, 54);
  });

  void it("round-trips", () => {
    const env = readEnvelopeMetadata(encodeEnvelopeMetadata(local));
    assert.ok(env);
    assert.deepEqual(env.header.bytes, header.bytes);
    assert.equal(env.kekRef, local.kekRef);
    assert.deepEqual(env.wrappedDek, wrappedDek);
  });

  void it("fits the documented budget: local ~226 bytes, KMS ~482, worst case 1096 of S3's 2048", () => {
    assert.equal(metadataBytes(encodeEnvelopeMetadata(local)), 226);
    const kms = encodeEnvelopeMetadata({ header, kekRef: KMS_ARN, wrappedDek: Buffer.alloc(184, 1) });
    assert.equal(metadataBytes(kms), 482);
    const worst = encodeEnvelopeMetadata({
      header,
      kekRef: `kms:${"k".repeat(KEK_REF_MAX_LENGTH - 4)}`,
      wrappedDek: Buffer.alloc(WRAPPED_DEK_MAX_LENGTH, 1),
    });
    assert.equal(metadataBytes(worst), 1096);
    assert.ok(metadataBytes(worst) < S3_USER_METADATA_LIMIT);
  });

  void it("matches header names case-insensitively and ignores unrelated and unknown s3proxy-* metadata", () => {
    const meta = encodeEnvelopeMetadata(local);
    const mixed: Record<string, string> = {
      "X-Amz-Meta-S3proxy-Hdr": meta[META_HEADER] ?? "",
      [META_KEK]: meta[META_KEK] ?? "",
      [META_DEK]: meta[META_DEK] ?? "",
      "x-amz-meta-s3proxy-future": "whatever",
      "content-type": "text/plain",
    };
    assert.ok(readEnvelopeMetadata(mixed));
  });

  void it("recognises objects that are not ours", () => {
    assert.equal(readEnvelopeMetadata({}), null);
    assert.equal(
      readEnvelopeMetadata({ "x-amz-meta-owner": "me", "x-amz-meta-s3proxy-note": "user key" }),
      null,
    );
    assert.equal(readEnvelopeMetadata({ [META_HEADER]: undefined }), null);
  });

  void it("treats partial or malformed envelopes as errors, never as plaintext", () => {
    const meta = encodeEnvelopeMetadata(local);
    const without = (name: string): Record<string, string> => {
      const copy = { ...meta };
      delete copy[name];
      return copy;
    };
    throwsWith(() => readEnvelopeMetadata(without(META_HEADER)), "FormatMalformedEnvelope");
    throwsWith(() => readEnvelopeMetadata({ [META_DEK]: meta[META_DEK] ?? "" }), "FormatMalformedEnvelope");
    throwsWith(() => readEnvelopeMetadata(without(META_KEK)), "FormatMalformedEnvelope");
    throwsWith(() => readEnvelopeMetadata(without(META_DEK)), "FormatMalformedEnvelope");
    throwsWith(
      () => readEnvelopeMetadata({ ...meta, [META_HEADER]: "not base64!" }),
      "FormatMalformedEnvelope",
    );
    throwsWith(
      () => readEnvelopeMetadata({ ...meta, [META_HEADER]: `${meta[META_HEADER]}=` }),
      "FormatMalformedEnvelope",
    );
    throwsWith(() => readEnvelopeMetadata({ ...meta, [META_HEADER]: "" }), "FormatMalformedEnvelope");
    throwsWith(() => readEnvelopeMetadata({ ...meta, [META_DEK]: "" }), "FormatMalformedEnvelope");
    throwsWith(() => readEnvelopeMetadata({ ...meta, [META_DEK]: "%%%" }), "FormatMalformedEnvelope");
    throwsWith(() => readEnvelopeMetadata({ ...meta, [META_KEK]: "no-scheme" }), "FormatMalformedEnvelope");
    throwsWith(
      () => readEnvelopeMetadata({ ...meta, [META_KEK]: "aeskw:has space" }),
      "FormatMalformedEnvelope",
    );
    throwsWith(
      () => readEnvelopeMetadata({ ...meta, [META_HEADER]: [meta[META_HEADER] ?? ""] }),
      "FormatMalformedEnvelope",
    );
    throwsWith(
      () => readEnvelopeMetadata({ ...meta, "X-AMZ-META-S3PROXY-HDR": meta[META_HEADER] ?? "" }),
      "FormatMalformedEnvelope",
    );
    // S3 joins repeated headers with commas: never valid base64url.
    throwsWith(
      () => readEnvelopeMetadata({ ...meta, [META_HEADER]: `${meta[META_HEADER]},${meta[META_HEADER]}` }),
      "FormatMalformedEnvelope",
    );
  });

  void it("reports an unknown version as such even if the rest would not parse", () => {
    const v2 = Buffer.from(header.bytes);
    v2[0] = 2;
    throwsWith(
      () => readEnvelopeMetadata({ [META_HEADER]: encodeBase64url(v2) }),
      "FormatUnsupportedVersion",
    );
    throwsWith(
      () => readEnvelopeMetadata({ [META_HEADER]: encodeBase64url(Buffer.from([9, 9])) }),
      "FormatUnsupportedVersion",
    );
    const suite = Buffer.from(header.bytes);
    suite[1] = 7;
    throwsWith(
      () => readEnvelopeMetadata({ ...encodeEnvelopeMetadata(local), [META_HEADER]: encodeBase64url(suite) }),
      "FormatUnsupportedAlgorithm",
    );
  });

  void it("validates KEK references and wrapped DEK sizes when writing", () => {
    for (const good of ["aeskw:a", KMS_ARN, "p11:pkcs11:token=hsm;object=kek%201", "grpc:keysvc/kek-7"]) {
      assert.ok(isValidKekRef(good), good);
    }
    for (const bad of [
      "",
      "aeskw:",
      ":id",
      "AESKW:x",
      "1x:y",
      "a b:c",
      "aeskw:é",
      `kms:${"x".repeat(KEK_REF_MAX_LENGTH)}`,
    ]) {
      assert.ok(!isValidKekRef(bad), bad);
      throwsWith(() => encodeEnvelopeMetadata({ ...local, kekRef: bad }), "KeyInvalid");
    }
    assert.equal(kekScheme(KMS_ARN), "kms");
    throwsWith(() => encodeEnvelopeMetadata({ ...local, wrappedDek: Buffer.alloc(0) }), "KeyInvalid");
    throwsWith(
      () => encodeEnvelopeMetadata({ ...local, wrappedDek: Buffer.alloc(WRAPPED_DEK_MAX_LENGTH + 1) }),
      "KeyInvalid",
    );
  });

  void it("carries the optional sealed MD5 (§2.1) and treats it as ours even alone", () => {
    const sealedMd5 = Buffer.alloc(32, 7);
    const meta = encodeEnvelopeMetadata({ ...local, sealedMd5 });
    assert.equal(meta[META_MD5], encodeBase64url(sealedMd5));
    assert.deepEqual(readEnvelopeMetadata(meta)?.sealedMd5, sealedMd5);
    assert.equal(readEnvelopeMetadata(encodeEnvelopeMetadata(local))?.sealedMd5, undefined);
    throwsWith(() => readEnvelopeMetadata({ ...meta, [META_MD5]: "AAAA" }), "FormatMalformedEnvelope");
    throwsWith(
      () => readEnvelopeMetadata({ ...meta, [META_MD5]: "not base64url!" }),
      "FormatMalformedEnvelope",
    );
    throwsWith(() => readEnvelopeMetadata({ [META_MD5]: meta[META_MD5] }), "FormatMalformedEnvelope");
    throwsWith(
      () => encodeEnvelopeMetadata({ ...local, sealedMd5: Buffer.alloc(31) }),
      "FormatMalformedEnvelope",
    );
  });
});
