/**
 * The upstream headers of the three ways a copy is carried out (src/copy/copyRequestHeaders.ts): the forwarded
 * CopyObject (envelope under REPLACE, pinned source, no ciphertext checksums), the PUT that re-encrypts a
 * plaintext source (what CopyObject would have given the destination), and the UploadPart behind UploadPartCopy.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  copyObjectHeaders,
  partCopyHeaders,
  reencryptPutHeaders,
} from "../../src/copy/copyRequestHeaders.ts";

const ENVELOPE = {
  "x-amz-meta-s3proxy-hdr": "AQEQ",
  "x-amz-meta-s3proxy-kek": "aeskw:k1",
  "x-amz-meta-s3proxy-dek": "e8eQ",
  "x-amz-meta-s3proxy-md5": "c2Vh",
};

/** Lower-case name → values, for order-insensitive assertions. */
function asMap(raw: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? "").toLowerCase();
    out.set(name, [...(out.get(name) ?? []), raw[i + 1] ?? ""]);
  }
  return out;
}

// prettier-ignore
const CLIENT_COPY = [
  "Host", "dst.s3.amazonaws.com",
  "Authorization", "AWS4-HMAC-SHA256 Credential=…",
  "x-amz-date", "20250101T000000Z",
  "x-amz-content-sha256", "UNSIGNED-PAYLOAD",
  "x-amz-copy-source", "src/k",
  "x-amz-copy-source-if-match", '"client-visible"',
  "x-amz-copy-source-if-unmodified-since", "Wed, 01 Jan 2025 00:00:00 GMT",
  "x-amz-metadata-directive", "REPLACE",
  "x-amz-meta-colour", "blue",
  "Content-Type", "text/plain",
  "x-amz-storage-class", "STANDARD_IA",
  "x-amz-checksum-algorithm", "CRC32",
  "x-amz-sdk-checksum-algorithm", "CRC32",
  "If-None-Match", "*",
  "Content-Length", "0",
];

void describe("copyObjectHeaders (forwarded CopyObject)", () => {
  it("REPLACE: the client's metadata plus the source's envelope, pinned to the stored ETag", () => {
    const h = asMap(
      copyObjectHeaders(CLIENT_COPY, { directive: "REPLACE", envelope: ENVELOPE, sourceEtag: '"abc123"' }),
    );
    assert.deepEqual(h.get("x-amz-metadata-directive"), ["REPLACE"]);
    for (const [name, value] of Object.entries(ENVELOPE)) assert.deepEqual(h.get(name), [value]);
    assert.deepEqual(h.get("x-amz-meta-colour"), ["blue"]);
    assert.deepEqual(h.get("content-type"), ["text/plain"]);
    assert.deepEqual(h.get("x-amz-storage-class"), ["STANDARD_IA"]);
    assert.deepEqual(h.get("x-amz-copy-source"), ["src/k"]);
    assert.deepEqual(h.get("if-none-match"), ["*"], "destination conditions stay");
    // The client's copy-source conditions named the client-visible ETag: replaced by the (unquoted) pin.
    assert.deepEqual(h.get("x-amz-copy-source-if-match"), ["abc123"]);
    assert.equal(h.get("x-amz-copy-source-if-unmodified-since"), undefined);
    assert.equal(h.get("x-amz-checksum-algorithm"), undefined, "S3 would checksum the ciphertext");
    assert.equal(h.get("x-amz-sdk-checksum-algorithm"), undefined);
    assert.equal(h.get("authorization"), undefined);
    assert.deepEqual(h.get("content-length"), ["0"]);
  });

  it("COPY: no envelope added (S3 copies it with the metadata), the directive sent canonically", () => {
    const client = CLIENT_COPY.slice();
    client.splice(client.indexOf("x-amz-metadata-directive"), 2);
    const h = asMap(
      copyObjectHeaders(client, { directive: "COPY", envelope: ENVELOPE, sourceEtag: '"e-1"' }),
    );
    assert.deepEqual(h.get("x-amz-metadata-directive"), ["COPY"]);
    assert.equal(h.get("x-amz-meta-s3proxy-hdr"), undefined);
    assert.deepEqual(h.get("x-amz-copy-source-if-match"), ["e-1"]);
  });
});

void describe("reencryptPutHeaders (plaintext source re-encrypted)", () => {
  // prettier-ignore
  const SOURCE_HEAD = [
    "Content-Type", "image/png",
    "Content-Length", "1000",
    "ETag", '"d41d8cd98f00b204e9800998ecf8427e"',
    "Cache-Control", "max-age=60",
    "x-amz-meta-origin", "legacy",
    "x-amz-meta-s3proxy-extra", "ignored",
    "x-amz-tagging-count", "2",
    "x-amz-website-redirect-location", "/elsewhere",
    "Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT",
  ];

  it("COPY: the source's metadata and Content-* headers, not the request's", () => {
    const client = [...CLIENT_COPY, "x-amz-tagging", "a=b", "x-amz-tagging-directive", "COPY"];
    const h = asMap(
      reencryptPutHeaders(client, {
        directive: "COPY",
        sourceHead: SOURCE_HEAD,
        tagging: "team=storage",
        ciphertextLength: 1032,
        envelope: ENVELOPE,
      }),
    );
    assert.deepEqual(h.get("content-type"), ["image/png"]);
    assert.deepEqual(h.get("cache-control"), ["max-age=60"]);
    assert.deepEqual(h.get("x-amz-meta-origin"), ["legacy"]);
    assert.equal(h.get("x-amz-meta-colour"), undefined, "S3 ignores the request's metadata under COPY");
    assert.equal(h.get("x-amz-meta-s3proxy-extra"), undefined);
    assert.equal(h.get("x-amz-website-redirect-location"), undefined, "never copied (API_CopyObject)");
    assert.deepEqual(h.get("x-amz-tagging"), ["team=storage"]);
    assert.deepEqual(h.get("x-amz-storage-class"), ["STANDARD_IA"], "destination headers stay");
    assert.deepEqual(h.get("if-none-match"), ["*"]);
    assert.deepEqual(h.get("content-length"), ["1032"]);
    assert.deepEqual(h.get("x-amz-meta-s3proxy-hdr"), ["AQEQ"]);
    for (const gone of [
      "x-amz-copy-source",
      "x-amz-copy-source-if-match",
      "x-amz-metadata-directive",
      "x-amz-tagging-directive",
      "etag",
      "last-modified",
      "x-amz-tagging-count",
      "x-amz-checksum-algorithm",
    ]) {
      assert.equal(h.get(gone), undefined, gone);
    }
  });

  it("REPLACE: the request's metadata", () => {
    const h = asMap(
      reencryptPutHeaders(CLIENT_COPY, {
        directive: "REPLACE",
        sourceHead: SOURCE_HEAD,
        tagging: undefined,
        ciphertextLength: 1032,
        envelope: ENVELOPE,
      }),
    );
    assert.deepEqual(h.get("content-type"), ["text/plain"]);
    assert.deepEqual(h.get("x-amz-meta-colour"), ["blue"]);
    assert.equal(h.get("x-amz-meta-origin"), undefined);
    assert.equal(h.get("x-amz-tagging"), undefined);
  });
});

void describe("partCopyHeaders (UploadPart behind UploadPartCopy)", () => {
  it("only the destination upload's SSE-C key, payer and owner, and the ciphertext length", () => {
    // prettier-ignore
    const raw = [
      "x-amz-copy-source", "src/k",
      "x-amz-copy-source-range", "bytes=0-9",
      "x-amz-copy-source-server-side-encryption-customer-key", "c3JjIGtleQ==",
      "x-amz-server-side-encryption-customer-key", "ZHN0IGtleQ==",
      "x-amz-request-payer", "requester",
      "x-amz-expected-bucket-owner", "111122223333",
      "x-amz-source-expected-bucket-owner", "444455556666",
      "Content-Length", "0",
    ];
    // prettier-ignore
    assert.deepEqual(partCopyHeaders(raw, 10_032), [
      "x-amz-server-side-encryption-customer-key", "ZHN0IGtleQ==",
      "x-amz-request-payer", "requester",
      "x-amz-expected-bucket-owner", "111122223333",
      "Content-Length", "10032",
    ]);
  });
});
