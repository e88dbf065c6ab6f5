/**
 * resignRequest: signing the S3 documentation's requests with the documented credentials and date reproduces
 * the documented signatures (through smithy), and the proxy's header policy holds: the client's signature
 * material and hop-by-hop headers are gone, x-amz-content-sha256 is the proxy's payload hash, end-to-end
 * headers are signed and merged, and the query is forwarded byte for byte minus SigV4 auth parameters.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resignRequest, type ResignRequestInput } from "../../src/sigv4/resignRequest.ts";
import { verifyClientSignature } from "../../src/sigv4/verifyClientSignature.ts";
import { DOC, docClock, flat, headerOf, rejectsCode, signatureOf } from "./helpers.ts";

const options = { region: DOC.region, credentials: DOC.credentials, now: docClock };
const HOST = "examplebucket.s3.amazonaws.com";
const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const base = (over: Partial<ResignRequestInput> = {}): ResignRequestInput => ({
  method: "GET",
  host: HOST,
  path: "/test.txt",
  query: "",
  headers: [],
  payloadHash: EMPTY,
  ...over,
});

const names = (raw: readonly string[]): string[] =>
  raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());

void describe("resignRequest: S3 documentation examples", () => {
  for (const v of DOC.vectors) {
    void it(`${v.name}: reproduces the documented signature`, async () => {
      const out = await resignRequest(
        {
          method: v.method,
          host: HOST,
          path: v.path,
          query: v.query,
          headers: flat(v.headers),
          payloadHash: v.payloadHash,
        },
        options,
      );
      const expected = v.resigned ?? v;
      const auth = headerOf(out.headers, "authorization");
      assert.equal(signatureOf(auth), expected.signature);
      assert.equal(out.signedHeaders.join(";"), expected.signedHeaders);
      assert.match(
        auth ?? "",
        /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/20130524\/us-east-1\/s3\/aws4_request, /,
      );
      assert.equal(headerOf(out.headers, "x-amz-date"), "20130524T000000Z");
      assert.equal(out.query, v.query);
    });
  }

  void it("PUT Object: the re-signed request (without Date) verifies with the independent verifier", async () => {
    const v = DOC.vectors.find((x) => x.resigned)!;
    const out = await resignRequest(
      {
        method: v.method,
        host: HOST,
        path: v.path,
        query: v.query,
        headers: flat(v.headers),
        payloadHash: v.payloadHash,
      },
      options,
    );
    assert.equal(headerOf(out.headers, "date"), undefined);
    const verified = await verifyClientSignature(
      { method: v.method, path: v.path, query: out.query, headers: out.headers },
      { secretFor: () => DOC.credentials.secretAccessKey, now: docClock },
    );
    assert.equal(verified.payloadHash, v.payloadHash);
  });
});

void describe("resignRequest: header policy", () => {
  const clientHeaders = [
    "Host",
    "client.example:9000",
    "Authorization",
    "AWS4-HMAC-SHA256 Credential=CLIENT/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
    "X-Amz-Date",
    "20200101T000000Z",
    "X-Amz-Security-Token",
    "client-token",
    "X-Amz-Content-SHA256",
    "UNSIGNED-PAYLOAD",
    "X-Amz-Signature",
    "leftover",
    "X-Amz-Credential",
    "leftover",
    "Date",
    "Fri, 24 May 2013 00:00:00 GMT",
    "Connection",
    "keep-alive, X-Custom-Hop",
    "X-Custom-Hop",
    "1",
    "Keep-Alive",
    "timeout=5",
    "Transfer-Encoding",
    "chunked",
    "TE",
    "trailers",
    "Expect",
    "100-continue",
    "Proxy-Authorization",
    "Basic eDp5",
    "Proxy-Foo",
    "1",
    "User-Agent",
    "aws-cli/2.9",
    "X-Amzn-Trace-Id",
    "Root=1",
    "Content-Length",
    "1234",
    "Content-MD5",
    "1B2M2Y8AsgTpgAmY7PhCfg==",
    "Content-Type",
    "text/plain;  charset=utf-8",
    "Cache-Control",
    "no-cache",
    "X-Amz-Meta-Color",
    "blue",
    "x-amz-meta-color",
    "green",
    "x-amz-storage-class",
    "STANDARD",
  ];

  void it("drops the client's signature material, hop-by-hop headers, expect and proxy-*", async () => {
    const out = await resignRequest(base({ method: "PUT", headers: clientHeaders }), options);
    const sent = names(out.headers);
    for (const gone of [
      "date",
      "connection",
      "x-custom-hop",
      "keep-alive",
      "transfer-encoding",
      "te",
      "expect",
      "proxy-authorization",
      "proxy-foo",
      "x-amz-signature",
      "x-amz-credential",
    ]) {
      assert.ok(!sent.includes(gone), `${gone} was forwarded`);
    }
    for (const once of ["host", "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-meta-color"]) {
      assert.equal(sent.filter((n) => n === once).length, 1, `${once} must appear exactly once`);
    }
    assert.ok(!sent.includes("x-amz-security-token"), "the client's token must not reach upstream");
    assert.equal(headerOf(out.headers, "host"), HOST);
    assert.equal(headerOf(out.headers, "x-amz-content-sha256"), EMPTY);
    assert.equal(headerOf(out.headers, "x-amz-date"), "20130524T000000Z");
    assert.equal(out.headers[0], "Host");
    assert.equal(out.headers.at(-2), "Authorization");
  });

  void it("signs every end-to-end header, leaves user-agent and trace ids unsigned, merges repeats", async () => {
    const out = await resignRequest(base({ method: "PUT", headers: clientHeaders }), options);
    assert.deepEqual(out.signedHeaders, [
      "cache-control",
      "content-length",
      "content-md5",
      "content-type",
      "host",
      "x-amz-content-sha256",
      "x-amz-date",
      "x-amz-meta-color",
      "x-amz-storage-class",
    ]);
    assert.equal(headerOf(out.headers, "x-amz-meta-color"), "blue,green");
    assert.equal(headerOf(out.headers, "user-agent"), "aws-cli/2.9");
    assert.equal(headerOf(out.headers, "x-amzn-trace-id"), "Root=1");
    // Whatever was signed is what is sent: the independent verifier agrees.
    await verifyClientSignature(
      { method: "PUT", path: "/test.txt", query: out.query, headers: out.headers },
      { secretFor: () => DOC.credentials.secretAccessKey, now: docClock },
    );
  });

  void it("adds and signs the proxy's own session token", async () => {
    const out = await resignRequest(base({ headers: clientHeaders }), {
      ...options,
      credentials: { ...DOC.credentials, sessionToken: "proxy/token+=" },
    });
    assert.equal(headerOf(out.headers, "x-amz-security-token"), "proxy/token+=");
    assert.ok(out.signedHeaders.includes("x-amz-security-token"));
  });

  void it("sets x-amz-content-sha256 to the payload hash it is given", async () => {
    for (const payloadHash of ["UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "ab".repeat(32)]) {
      const out = await resignRequest(base({ payloadHash, headers: clientHeaders }), options);
      assert.equal(headerOf(out.headers, "x-amz-content-sha256"), payloadHash);
    }
  });

  void it("refuses payload hashes it cannot honour", async () => {
    for (const payloadHash of ["", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "AB".repeat(32), "abc"]) {
      await assert.rejects(resignRequest(base({ payloadHash }), options), TypeError);
    }
  });
});

void describe("resignRequest: query", () => {
  void it("keeps the client's parameters byte for byte and drops SigV4 query-auth ones", async () => {
    const query =
      "uploads&prefix=a+b%2Fc&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=C%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=t" +
      "&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&x-id=GetObject&X-Amz-Signature=00&marker=%7e";
    const out = await resignRequest(base({ path: "/", query }), options);
    assert.equal(out.query, "uploads&prefix=a+b%2Fc&x-id=GetObject&marker=%7e");
    await verifyClientSignature(
      { method: "GET", path: "/", query: out.query, headers: out.headers },
      { secretFor: () => DOC.credentials.secretAccessKey, now: docClock },
    );
  });

  void it("signs query names that are Object.prototype keys, and refuses __proto__ (smithy drops it)", async () => {
    const out = await resignRequest(
      base({ path: "/", query: "constructor=2&toString&hasOwnProperty=x" }),
      options,
    );
    await verifyClientSignature(
      { method: "GET", path: "/", query: out.query, headers: out.headers },
      { secretFor: () => DOC.credentials.secretAccessKey, now: docClock },
    );
    await rejectsCode(
      resignRequest(base({ path: "/", query: "a=1&__proto__=1" }), options),
      "InvalidArgument",
    );
  });

  void it("signs the path as S3 canonicalises it: encoded once, never normalised", async () => {
    for (const path of ["/b/a%20b/c%2Bd/%E2%9C%93/%252F", "/b//x/./y/../z", "/b/%7E~(x)!", "/b/%e2%9c%93"]) {
      const out = await resignRequest(base({ path }), options);
      await verifyClientSignature(
        { method: "GET", path, query: "", headers: out.headers },
        { secretFor: () => DOC.credentials.secretAccessKey, now: docClock },
      );
    }
  });
});
