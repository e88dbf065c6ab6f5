/**
 * The verifier's own canonicalisation (src/sigv4/canonicalRequest.ts, uriEncode.ts, amzDate.ts): it reproduces
 * the canonical-request hashes printed in the S3 documentation's StringToSign for every example, and follows
 * the SigV4 rules for encoding, query ordering and header values.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { formatAmzDate, parseAmzDate } from "../../src/sigv4/amzDate.ts";
import { canonicalPath } from "../../src/sigv4/canonicalPath.ts";
import {
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  stringToSign,
} from "../../src/sigv4/canonicalRequest.ts";
import { uriEncode } from "../../src/sigv4/uriEncode.ts";
import { DOC, flat } from "./helpers.ts";

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

void describe("canonical request: S3 documentation examples", () => {
  for (const v of DOC.vectors) {
    void it(`${v.name}: matches the documented canonical-request hash`, () => {
      const signed = v.signedHeaders.split(";");
      const canonical = canonicalRequest({
        method: v.method,
        path: canonicalPath(v.path),
        query: canonicalQuery(v.query, { dropSignature: false }),
        headers: canonicalHeaders(flat(v.headers), signed),
        signedHeaders: signed,
        payloadHash: v.payloadHash,
      });
      assert.equal(sha256(canonical), v.canonicalRequestSha256);
    });
  }

  void it("GET Object: the canonical request and string to sign are exactly the documented text", () => {
    const v = DOC.vectors[0]!;
    const signed = v.signedHeaders.split(";");
    const canonical = canonicalRequest({
      method: "GET",
      path: canonicalPath(v.path),
      query: canonicalQuery(v.query, { dropSignature: false }),
      headers: canonicalHeaders(flat(v.headers), signed),
      signedHeaders: signed,
      payloadHash: v.payloadHash,
    });
    assert.equal(
      canonical,
      "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n" +
        "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
        "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" +
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    assert.equal(
      stringToSign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request", canonical),
      "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" +
        "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
    );
  });

  void it("presigned GET: X-Amz-Signature is left out and the hash matches the documentation", () => {
    const p = DOC.presigned;
    const canonical = canonicalRequest({
      method: p.method,
      path: canonicalPath(p.path),
      query: canonicalQuery(p.query, { dropSignature: true }),
      headers: canonicalHeaders(flat(p.headers), ["host"]),
      signedHeaders: ["host"],
      payloadHash: "UNSIGNED-PAYLOAD",
    });
    assert.doesNotMatch(canonical, /X-Amz-Signature/);
    assert.equal(sha256(canonical), p.canonicalRequestSha256);
  });
});

void describe("uriEncode", () => {
  void it("keeps only unreserved characters and encodes UTF-8 bytes in upper-case hex", () => {
    assert.equal(uriEncode("AZaz09-_.~"), "AZaz09-_.~");
    assert.equal(uriEncode("a b+c/✓!*'()$&=%"), "a%20b%2Bc%2F%E2%9C%93%21%2A%27%28%29%24%26%3D%25");
    assert.equal(uriEncode("a/b c", false), "a/b%20c");
    assert.equal(uriEncode("😀"), "%F0%9F%98%80");
  });
});

void describe("canonicalPath", () => {
  void it("leaves SDK-encoded paths exactly as sent: no double encoding, no normalisation", () => {
    for (const path of [
      "/",
      "/test.txt",
      "/test%24file.text",
      "/b/a%20b/c%2Bd/%E2%9C%93/%252F",
      "/b//x/./y/../z",
      "/b/~",
    ]) {
      assert.equal(canonicalPath(path), path);
    }
    assert.equal(canonicalPath(""), "/");
  });

  void it("re-encodes non-canonical client encodings as S3 and radosgw do (decode once, encode once)", () => {
    assert.equal(canonicalPath("/b/tilde%7Eenc"), "/b/tilde~enc");
    assert.equal(canonicalPath("/b/lower%e2%9c%93"), "/b/lower%E2%9C%93");
    assert.equal(canonicalPath("/b/raw!*'()+=&;@:,$"), "/b/raw%21%2A%27%28%29%2B%3D%26%3B%40%3A%2C%24");
    assert.equal(canonicalPath("/b/enc%2Fslash"), "/b/enc/slash");
  });

  void it("refuses malformed escapes and ill-formed UTF-8 with InvalidURI", () => {
    for (const bad of ["/b/%zz", "/b/%e2%9c", "/b/%ff", "/b/a b"]) {
      assert.throws(
        () => canonicalPath(bad),
        (e: unknown) => e instanceof ProxyError && e.code === "InvalidURI",
        bad,
      );
    }
  });
});

void describe("canonicalQuery", () => {
  void it("decodes, re-encodes and sorts by name, then value; a bare name gets '='", () => {
    assert.equal(canonicalQuery("prefix=J&max-keys=2", { dropSignature: false }), "max-keys=2&prefix=J");
    assert.equal(canonicalQuery("uploads", { dropSignature: false }), "uploads=");
    assert.equal(canonicalQuery("a=2&a=1&a-b=0", { dropSignature: false }), "a=1&a=2&a-b=0");
    assert.equal(
      canonicalQuery("prefix=a+b%2Fc&marker=%7e%21", { dropSignature: false }),
      "marker=~%21&prefix=a%20b%2Fc",
    );
    assert.equal(canonicalQuery("&&x=1&&", { dropSignature: false }), "x=1");
  });

  void it("drops X-Amz-Signature only for presigned requests", () => {
    assert.equal(canonicalQuery("X-Amz-Signature=ab&b=1", { dropSignature: true }), "b=1");
    assert.equal(
      canonicalQuery("X-Amz-Signature=ab&b=1", { dropSignature: false }),
      "X-Amz-Signature=ab&b=1",
    );
  });
});

void describe("canonicalHeaders", () => {
  void it("trims values, collapses inner whitespace, joins repeated headers with ',' in the signed order", () => {
    const raw = ["Host", "h", "X-Amz-Meta-A", "  one   two ", "x-amz-meta-a", "three\t\tfour", "Other", "x"];
    assert.equal(
      canonicalHeaders(raw, ["host", "x-amz-meta-a"]),
      "host:h\nx-amz-meta-a:one two,three four\n",
    );
  });

  void it("renders a signed header that is absent as an empty value", () => {
    assert.equal(canonicalHeaders(["Host", "h"], ["host", "range"]), "host:h\nrange:\n");
  });
});

void describe("x-amz-date", () => {
  void it("parses ISO 8601 basic UTC and refuses anything else", () => {
    assert.equal(parseAmzDate("20130524T000000Z"), Date.UTC(2013, 4, 24));
    assert.equal(formatAmzDate(new Date(Date.UTC(2013, 4, 24, 1, 2, 3, 456))), "20130524T010203Z");
    for (const bad of [
      "20130524T000000",
      "2013-05-24T00:00:00Z",
      "20131324T000000Z",
      "20130230T000000Z",
      "",
    ]) {
      assert.equal(parseAmzDate(bad), undefined, bad);
    }
  });
});
