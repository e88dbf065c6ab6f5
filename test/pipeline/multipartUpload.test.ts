/**
 * The UploadId handling every multipart handler shares: the upstream query carries the upstream id and every
 * other parameter as sent, and openClientUpload accepts exactly the tokens a proxy with the KEK minted for that
 * upstream id — any other id is NoSuchUpload, while a key provider that is down stays retryable.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createEnvelope } from "../../src/crypto/index.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import {
  dekContextFor,
  generateKek,
  KeyProviderUnavailableError,
  LocalKeyProvider,
  type KeyProvider,
} from "../../src/keys/index.ts";
import { joinClientUploadId } from "../../src/multipart/clientUploadId.ts";
import { deriveUploadTokenKey, encodeUploadToken } from "../../src/multipart/uploadToken.ts";
import {
  openClientUpload,
  upstreamUploadIdOf,
  upstreamUploadQuery,
} from "../../src/pipeline/multipartUpload.ts";
import type { S3StepDeps } from "../../src/pipeline/s3StepDeps.ts";
import { proxyCredentials } from "../../src/sigv4/proxyCredentials.ts";

const deps = (keys: KeyProvider): S3StepDeps => ({
  keys,
  credentials: proxyCredentials({ kind: "static", accessKeyId: "AKID", secretAccessKey: "s" }),
  region: "us-east-1",
  continueTimeoutMs: 1000,
});

async function mint(keys: KeyProvider, upstreamId: string): Promise<string> {
  const { header, dek } = createEnvelope({ layout: "multipart" });
  const wrapped = await keys.wrapDek(dek, dekContextFor(header));
  const token = encodeUploadToken({ header, ...wrapped }, deriveUploadTokenKey(dek, header.salt), upstreamId);
  return joinClientUploadId(upstreamId, token);
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return err instanceof ProxyError ? err.code : String(err);
  }
  return "no error";
}

describe("upstreamUploadQuery", () => {
  it("replaces only uploadId, encoded the SigV4 way, keeping every other parameter's raw bytes", () => {
    assert.equal(
      upstreamUploadQuery("partNumber=3&uploadId=2~a.s3p.QUJD&x-id=UploadPart", "2~a b/c"),
      "partNumber=3&uploadId=2~a%20b%2Fc&x-id=UploadPart",
    );
    assert.equal(
      upstreamUploadQuery("uploadId=x&max-parts=10&part-number-marker=%31", "y"),
      "uploadId=y&max-parts=10&part-number-marker=%31",
    );
  });
});

describe("openClientUpload", () => {
  const keys = new LocalKeyProvider({ active: "k1", keys: [generateKek("k1")] });

  it("opens a token minted for this upstream UploadId", async () => {
    const id = await mint(keys, "2~upstream");
    const upload = await openClientUpload(id, deps(keys));
    assert.equal(upload.upstreamUploadId, "2~upstream");
    assert.equal(upload.clientUploadId, id);
    assert.equal(upload.envelope.header.layout, "multipart");
    assert.equal(upload.keys.header.bytes.equals(upload.envelope.header.bytes), true);
    assert.equal(upstreamUploadIdOf(id), "2~upstream");
  });

  it("answers NoSuchUpload for tokenless, altered, transplanted and foreign-KEK ids", async () => {
    const id = await mint(keys, "2~upstream");
    const other = await mint(keys, "2~other");
    const at = id.lastIndexOf(".s3p.") + 5;
    const token = Buffer.from(id.slice(at), "base64url");
    token[20]! ^= 1;
    const stranger = new LocalKeyProvider({ active: "k2", keys: [generateKek("k2")] });
    for (const bad of [
      "2~upstream",
      `2~upstream.s3p.${token.toString("base64url")}`,
      `2~upstream${other.slice(other.lastIndexOf(".s3p."))}`,
      `2~upstream.s3p.AAAA`,
      await mint(stranger, "2~upstream"),
    ]) {
      assert.equal(await code(openClientUpload(bad, deps(keys))), "NoSuchUpload", bad);
    }
  });

  it("lets a key provider outage through as retryable", async () => {
    const id = await mint(keys, "2~upstream");
    const down: KeyProvider = {
      scheme: "aeskw",
      activeKekId: () => "k1",
      listKekIds: () => ["k1"],
      wrapDek: () => Promise.reject(new KeyProviderUnavailableError("down")),
      unwrapDek: () => Promise.reject(new KeyProviderUnavailableError("down")),
    };
    await assert.rejects(openClientUpload(id, deps(down)), KeyProviderUnavailableError);
  });
});
