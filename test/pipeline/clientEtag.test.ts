import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { createEnvelope, openObjectKeys, sealPlaintextMd5 } from "../../src/crypto/index.ts";
import { encryptedObjectEtag, md5Etag, nonMd5Etag } from "../../src/pipeline/clientEtag.ts";

void describe("client-visible ETags", () => {
  const { header, dek } = createEnvelope({ layout: "single" });
  const keys = openObjectKeys(header, dek);
  const envelope = { header, kekRef: "aeskw:k", wrappedDek: Buffer.alloc(40) };

  it("marks a single-part stored ETag as not an MD5 and keeps multipart and odd ones", () => {
    assert.equal(nonMd5Etag('"9b2cf535f27731c974343645a3985328"'), '"9b2cf535f27731c974343645a3985328-1"');
    assert.equal(nonMd5Etag('"9b2cf535f27731c974343645a3985328-3"'), '"9b2cf535f27731c974343645a3985328-3"');
    assert.equal(nonMd5Etag("unquoted"), "unquoted");
  });

  it("shows the sealed plaintext MD5 when the envelope has one", () => {
    const md5 = createHash("md5").update("hello").digest();
    const etag = encryptedObjectEtag(
      '"stored"',
      { ...envelope, sealedMd5: sealPlaintextMd5(keys, md5) },
      keys,
    );
    assert.equal(etag, '"5d41402abc4b2a76b9719d911017c592"');
    assert.equal(etag, md5Etag(md5));
    assert.equal(encryptedObjectEtag('"stored"', envelope, keys), '"stored-1"');
  });

  it("fails (never invents a validator) when the sealed MD5 does not authenticate", () => {
    const bad = sealPlaintextMd5(keys, Buffer.alloc(16));
    bad[0] = (bad[0] ?? 0) ^ 1;
    assert.throws(() => encryptedObjectEtag('"s"', { ...envelope, sealedMd5: bad }, keys), {
      code: "DecryptAuthFailed",
    });
  });
});
