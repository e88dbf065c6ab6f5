/**
 * Sign with smithy (resignRequest / resignPresigned, or smithy acting as a client), verify with the proxy's
 * own canonicalisation (verifyClientSignature): the two are independent implementations, so agreement on
 * awkward keys — spaces, `+`, unicode, `//`, a literal `%2F` — and on arbitrary generated keys and query
 * values is evidence both canonicalise as S3 does, not that they share a bug.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { HttpRequest } from "@smithy/protocol-http";
import { createSigner } from "../../src/sigv4/createSigner.ts";
import { resignPresigned, resignRequest } from "../../src/sigv4/resignRequest.ts";
import { uriEncode } from "../../src/sigv4/uriEncode.ts";
import { verifyClientSignature, type VerifyOptions } from "../../src/sigv4/verifyClientSignature.ts";
import { headerOf, rejectsCode } from "./helpers.ts";

const credentials = { accessKeyId: "AKIDROUNDTRIP", secretAccessKey: "secret/with+chars=" };
const NOW = new Date("2026-03-01T12:00:00Z");
const now = (): Date => NOW;
const signing = { region: "us-west-2", credentials, now };
const verifying: VerifyOptions = {
  secretFor: (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined),
  now,
  region: "us-west-2",
};
const HOST = "bucket.s3.us-west-2.amazonaws.com";

/** How SDKs put a key in a path: each byte outside the unreserved set percent-encoded, `/` kept. */
const keyPath = (key: string): string => `/${uriEncode(key, false)}`;
const queryOf = (params: [string, string][]): string =>
  params.map(([n, v]) => `${uriEncode(n)}=${uriEncode(v)}`).join("&");

const AWKWARD_KEYS = [
  "a b/c+d/✓/%2F",
  "a//b",
  "/leading",
  "trailing/",
  "./dot/../dots",
  "~!$&'()*,;=:@",
  "ü/𝄞/日本",
];

void describe("sign with smithy, verify independently: awkward keys", () => {
  for (const key of AWKWARD_KEYS) {
    void it(`header-signed PUT/GET of ${JSON.stringify(key)}`, async () => {
      const path = keyPath(key);
      const query = queryOf([
        ["prefix", key],
        ["x-id", "GetObject"],
        ["delimiter", "/"],
      ]);
      for (const payloadHash of ["UNSIGNED-PAYLOAD", "0123456789abcdef".repeat(4)]) {
        const out = await resignRequest(
          {
            method: "PUT",
            host: HOST,
            path,
            query,
            headers: ["x-amz-meta-k", "v  v", "Content-Length", "3"],
            payloadHash,
          },
          signing,
        );
        const ok = await verifyClientSignature(
          { method: "PUT", path, query: out.query, headers: out.headers },
          verifying,
        );
        assert.equal(ok.payloadHash, payloadHash);
      }
    });

    void it(`presigned GET of ${JSON.stringify(key)}`, async () => {
      const path = keyPath(key);
      const out = await resignPresigned(
        { method: "GET", host: HOST, path, query: "versionId=a%2Bb", headers: [], expiresIn: 60 },
        signing,
      );
      await verifyClientSignature({ method: "GET", path, query: out.query, headers: out.headers }, verifying);
      // The same URL for another key must not verify.
      await rejectsCode(
        verifyClientSignature(
          { method: "GET", path: `${path}x`, query: out.query, headers: out.headers },
          verifying,
        ),
        "SignatureDoesNotMatch",
      );
    });
  }

  void it("a + in the query is a space to both sides; %2B is a plus", async () => {
    const out = await resignRequest(
      {
        method: "GET",
        host: HOST,
        path: "/",
        query: "prefix=a+b",
        headers: [],
        payloadHash: "UNSIGNED-PAYLOAD",
      },
      signing,
    );
    assert.equal(out.query, "prefix=a+b");
    await verifyClientSignature(
      { method: "GET", path: "/", query: "prefix=a%20b", headers: out.headers },
      verifying,
    );
    await rejectsCode(
      verifyClientSignature(
        { method: "GET", path: "/", query: "prefix=a%2Bb", headers: out.headers },
        verifying,
      ),
      "SignatureDoesNotMatch",
    );
  });
});

void describe("sign with smithy, verify independently: generated keys and values", () => {
  const text = fc.string({ unit: "binary", minLength: 1, maxLength: 24 });

  void it("header-signed requests verify for any key, query value and metadata value", async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        text,
        fc.string({ unit: "binary-ascii", maxLength: 16 }),
        async (key, value, meta) => {
          const metaValue = meta.replace(/[^\x21-\x7e]/g, "") || "x";
          const path = keyPath(key);
          const query = queryOf([
            ["prefix", value],
            [value, key],
          ]);
          const out = await resignRequest(
            {
              method: "GET",
              host: HOST,
              path,
              query,
              headers: ["x-amz-meta-v", metaValue],
              payloadHash: "UNSIGNED-PAYLOAD",
            },
            signing,
          );
          await verifyClientSignature(
            { method: "GET", path, query: out.query, headers: out.headers },
            verifying,
          );
        },
      ),
      { seed: 20260301, numRuns: 200 },
    );
  });

  void it("presigned requests verify for any key and query value", async () => {
    await fc.assert(
      fc.asyncProperty(text, text, async (key, value) => {
        const path = keyPath(key);
        const out = await resignPresigned(
          {
            method: "PUT",
            host: HOST,
            path,
            query: queryOf([["tagging", value]]),
            headers: [],
            expiresIn: 900,
          },
          signing,
        );
        await verifyClientSignature(
          { method: "PUT", path, query: out.query, headers: out.headers },
          verifying,
        );
      }),
      { seed: 20260302, numRuns: 200 },
    );
  });
});

void describe("a client that signs hop-by-hop headers (AWS CLI v2 signs transfer-encoding)", () => {
  void it("verifies as sent, and the re-signed request neither carries nor signs them", async () => {
    const client = createSigner(credentials, "us-west-2", "s3");
    const headers: Record<string, string> = {
      host: HOST,
      "transfer-encoding": "chunked",
      expect: "100-continue",
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
      "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==",
    };
    const signed = await client.sign(
      new HttpRequest({ method: "PUT", hostname: HOST, path: "/k%20ey", headers }),
      { signingDate: NOW, signableHeaders: new Set(["transfer-encoding", "expect"]) },
    );
    const raw = Object.entries(signed.headers).flat();
    const ok = await verifyClientSignature(
      { method: "PUT", path: "/k%20ey", query: "", headers: raw },
      verifying,
    );
    assert.ok(ok.signedHeaders.includes("transfer-encoding"));
    assert.ok(ok.signedHeaders.includes("expect"));

    const out = await resignRequest(
      {
        method: "PUT",
        host: HOST,
        path: "/k%20ey",
        query: "",
        headers: raw,
        payloadHash: "UNSIGNED-PAYLOAD",
      },
      signing,
    );
    assert.equal(headerOf(out.headers, "transfer-encoding"), undefined);
    assert.equal(headerOf(out.headers, "expect"), undefined);
    assert.deepEqual(out.signedHeaders, ["content-md5", "host", "x-amz-content-sha256", "x-amz-date"]);
    await verifyClientSignature(
      { method: "PUT", path: "/k%20ey", query: out.query, headers: out.headers },
      verifying,
    );
  });
});
