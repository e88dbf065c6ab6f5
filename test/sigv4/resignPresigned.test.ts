/**
 * resignPresigned: reproduces the S3 documentation's presigned URL, replaces a client's presigned parameters
 * with the proxy's while keeping the client's other parameters byte for byte, and produces URLs the
 * independent verifier accepts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ResignPresignedInput } from "../../src/sigv4/resignPresigned.ts";
import { resignPresigned } from "../../src/sigv4/resignRequest.ts";
import { verifyClientSignature } from "../../src/sigv4/verifyClientSignature.ts";
import { DOC, docClock, flat } from "./helpers.ts";

const options = { region: DOC.region, credentials: DOC.credentials, now: docClock };
const HOST = "examplebucket.s3.amazonaws.com";

const input = (over: Partial<ResignPresignedInput> = {}): ResignPresignedInput => ({
  method: "GET",
  host: HOST,
  path: "/test.txt",
  query: "",
  headers: [],
  expiresIn: 86400,
  ...over,
});

const verify = (method: string, path: string, query: string, headers: string[]) =>
  verifyClientSignature(
    { method, path, query, headers },
    { secretFor: () => DOC.credentials.secretAccessKey, now: docClock },
  );

void describe("resignPresigned", () => {
  void it("reproduces the documented presigned URL exactly", async () => {
    const p = DOC.presigned;
    const out = await resignPresigned(input({ headers: flat(p.headers), expiresIn: p.expiresIn }), options);
    assert.equal(out.query, p.query);
    assert.deepEqual(out.signedHeaders, ["host"]);
    assert.deepEqual(out.headers, ["Host", HOST]);
  });

  void it("replaces the client's X-Amz-* signing parameters and keeps the others as sent", async () => {
    const client =
      "response-content-type=text%2Fplain&X-Amz-Algorithm=AWS4-HMAC-SHA256" +
      "&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=CLIENT%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
      "&X-Amz-Date=20130523T000000Z&X-Amz-Expires=60&X-Amz-Security-Token=client&X-Amz-Signature=00" +
      "&X-Amz-SignedHeaders=host&x-id=GetObject&versionId";
    const out = await resignPresigned(input({ query: client, expiresIn: 300 }), options);
    assert.ok(
      out.query.startsWith("response-content-type=text%2Fplain&x-id=GetObject&versionId&X-Amz-Algorithm="),
    );
    const params = new URLSearchParams(out.query);
    assert.equal(params.get("X-Amz-Credential"), "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request");
    assert.equal(params.get("X-Amz-Date"), "20130524T000000Z");
    assert.equal(params.get("X-Amz-Expires"), "300");
    assert.equal(params.getAll("X-Amz-Signature").length, 1);
    assert.equal(params.get("X-Amz-Security-Token"), null);
    assert.equal(params.get("X-Amz-Content-Sha256"), null);
    const verified = await verify("GET", "/test.txt", out.query, out.headers);
    assert.equal(verified.mode, "query");
    assert.equal(verified.payloadHash, "UNSIGNED-PAYLOAD");
    assert.equal(verified.expiresAt?.toISOString(), "2013-05-24T00:05:00.000Z");
  });

  void it("signs (and keeps as headers) the end-to-end headers the request will carry", async () => {
    const headers = [
      "Host",
      "client",
      "Content-Type",
      "application/octet-stream",
      "x-amz-meta-a",
      "1",
      "User-Agent",
      "curl",
      "Authorization",
      "AWS4-HMAC-SHA256 stale",
      "Connection",
      "close",
    ];
    const out = await resignPresigned(input({ method: "PUT", headers }), options);
    assert.deepEqual(out.signedHeaders, ["content-type", "host", "x-amz-meta-a"]);
    assert.deepEqual(out.headers, [
      "Host",
      HOST,
      "Content-Type",
      "application/octet-stream",
      "x-amz-meta-a",
      "1",
      "User-Agent",
      "curl",
    ]);
    assert.equal(
      new URLSearchParams(out.query).get("x-amz-meta-a"),
      null,
      "x-amz-* headers must not be hoisted",
    );
    await verify("PUT", "/test.txt", out.query, out.headers);
  });

  void it("puts the proxy's session token in the signed query", async () => {
    const out = await resignPresigned(input(), {
      ...options,
      credentials: { ...DOC.credentials, sessionToken: "tok/en+=" },
    });
    assert.match(out.query, /&X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-Signature=[0-9a-f]{64}$/);
    await verify("GET", "/test.txt", out.query, out.headers);
  });

  void it("accepts 1..604800 s and refuses other expiry values before calling smithy", async () => {
    await resignPresigned(input({ expiresIn: 1 }), options);
    await resignPresigned(input({ expiresIn: 604800 }), options);
    for (const expiresIn of [0, -1, 604801, 1.5, Number.NaN]) {
      await assert.rejects(resignPresigned(input({ expiresIn }), options), RangeError);
    }
  });
});
