/**
 * verifyClientSignature against the S3 documentation's signed requests: every documented request verifies,
 * and one-bit changes to the path, the query, a signed header, the date, the signature or the secret are
 * refused with S3's codes; so are skewed clocks, expired or not-yet-valid presigned URLs, unsigned x-amz-*
 * headers, unknown keys and malformed authentication.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { ChunkSignatureChain, signChunk } from "../../src/s3body/chunkSignatures.ts";
import { verifyClientSignature, type VerifyOptions } from "../../src/sigv4/verifyClientSignature.ts";
import type { IncomingRequest } from "../../src/sigv4/IncomingRequest.ts";
import {
  at,
  DOC,
  DOC_NOW,
  docClock,
  docSecrets,
  flipBit,
  headerOf,
  incoming,
  rejectsCode,
  setHeader,
} from "./helpers.ts";

const opts: VerifyOptions = { secretFor: docSecrets, now: docClock };
const wrongSecret = flipBit(DOC.credentials.secretAccessKey, 5);
const mismatch = (req: IncomingRequest, options: VerifyOptions = opts): Promise<void> =>
  rejectsCode(verifyClientSignature(req, options), "SignatureDoesNotMatch");
const later = (seconds: number): (() => Date) => at(DOC_NOW.getTime() + seconds * 1000);

void describe("verifyClientSignature: documented header-signed requests", () => {
  for (const v of DOC.vectors) {
    const req = incoming(v);

    void it(`${v.name}: verifies`, async () => {
      const ok = await verifyClientSignature(req, opts);
      assert.equal(ok.mode, "header");
      assert.equal(ok.accessKeyId, DOC.credentials.accessKeyId);
      assert.equal(ok.region, "us-east-1");
      assert.equal(ok.payloadHash, v.payloadHash);
      assert.equal(ok.signedHeaders.join(";"), v.signedHeaders);
      assert.equal(ok.chunkContext.seedSignature, v.signature);
      assert.equal(ok.chunkContext.scope, "20130524/us-east-1/s3/aws4_request");
      assert.equal(ok.expiresAt, undefined);
    });

    void it(`${v.name}: refuses one-bit changes to path, signed headers, date, signature and secret`, async () => {
      await mismatch({ ...req, path: flipBit(req.path, req.path.length - 1) });
      await mismatch({
        ...req,
        headers: setHeader(req.headers, "host", flipBit(headerOf(req.headers, "host")!, 0)),
      });
      await mismatch({ ...req, headers: setHeader(req.headers, "x-amz-date", "20130524T000001Z") });
      const auth = headerOf(req.headers, "authorization")!;
      await mismatch({
        ...req,
        headers: setHeader(req.headers, "authorization", flipBit(auth, auth.length - 1)),
      });
      await mismatch(req, { ...opts, secretFor: () => wrongSecret });
    });
  }

  void it("GET Object: refuses a one-bit change to the signed Range header", async () => {
    const req = incoming(DOC.vectors[0]!);
    await mismatch({ ...req, headers: setHeader(req.headers, "range", "bytes=0-8") });
  });

  void it("GET Bucket (List Objects): refuses one-bit changes to a query name or value, and extra parameters", async () => {
    const req = incoming(DOC.vectors.find((v) => v.query.startsWith("max-keys"))!);
    await mismatch({ ...req, query: "max-keys=3&prefix=J" });
    await mismatch({ ...req, query: "max-keys=2&prefix=K" });
    await mismatch({ ...req, query: "max-keys=2&prefiy=J" });
    await mismatch({ ...req, query: `${req.query}&x=1` });
    // Order and form do not matter once canonicalised.
    await verifyClientSignature({ ...req, query: "prefix=J&&max-keys=2" }, opts);
  });

  void it("PUT Object: refuses a changed payload hash or storage class", async () => {
    const req = incoming(DOC.vectors.find((v) => v.method === "PUT")!);
    await mismatch({ ...req, headers: setHeader(req.headers, "x-amz-content-sha256", "UNSIGNED-PAYLOAD") });
    await mismatch({ ...req, headers: setHeader(req.headers, "x-amz-storage-class", "REDUCED_REDUNDANCZ") });
    await mismatch({ ...req, headers: setHeader(req.headers, "date", "Fri, 24 May 2013 00:00:01 GMT") });
  });

  void it("refuses a changed method (PUT signed, GET sent)", async () => {
    await mismatch({ ...incoming(DOC.vectors.find((v) => v.method === "PUT")!), method: "GET" });
  });
});

void describe("verifyClientSignature: time", () => {
  const req = incoming(DOC.vectors[0]!);

  void it("accepts x-amz-date up to 15 minutes either side of the clock, refuses beyond", async () => {
    await verifyClientSignature(req, { ...opts, now: later(15 * 60) });
    await verifyClientSignature(req, { ...opts, now: later(-15 * 60) });
    await rejectsCode(
      verifyClientSignature(req, { ...opts, now: later(15 * 60 + 1) }),
      "RequestTimeTooSkewed",
    );
    await rejectsCode(
      verifyClientSignature(req, { ...opts, now: later(-15 * 60 - 1) }),
      "RequestTimeTooSkewed",
    );
  });

  void it("checks the clock before looking up the key", async () => {
    let looked = false;
    const secretFor = (): string => {
      looked = true;
      return DOC.credentials.secretAccessKey;
    };
    await rejectsCode(verifyClientSignature(req, { secretFor, now: later(3600) }), "RequestTimeTooSkewed");
    assert.equal(looked, false);
  });
});

void describe("verifyClientSignature: documented presigned URL", () => {
  const p = DOC.presigned;
  const req = incoming(p);
  const withParam = (name: string, value: string): IncomingRequest => ({
    ...req,
    query: req.query.replace(new RegExp(`(^|&)${name}=[^&]*`), `$1${name}=${value}`),
  });

  void it("verifies and reports its expiry", async () => {
    const ok = await verifyClientSignature(req, opts);
    assert.equal(ok.mode, "query");
    assert.equal(ok.payloadHash, "UNSIGNED-PAYLOAD");
    assert.deepEqual(ok.signedHeaders, ["host"]);
    assert.equal(ok.expiresAt?.toISOString(), "2013-05-25T00:00:00.000Z");
    assert.equal(ok.chunkContext.seedSignature, p.signature);
  });

  void it("stays valid until X-Amz-Date + X-Amz-Expires, long after the 15-minute skew", async () => {
    await verifyClientSignature(req, { ...opts, now: later(86399) });
    await rejectsCode(verifyClientSignature(req, { ...opts, now: later(86400) }), "AccessDenied", /expired/);
  });

  void it("is not valid more than 15 minutes before X-Amz-Date", async () => {
    await verifyClientSignature(req, { ...opts, now: later(-15 * 60) });
    await rejectsCode(
      verifyClientSignature(req, { ...opts, now: later(-15 * 60 - 1) }),
      "AccessDenied",
      /not yet valid/,
    );
  });

  void it("refuses one-bit changes to path, host, X-Amz-Date, X-Amz-Expires, signature and secret", async () => {
    await mismatch({ ...req, path: "/test.txu" });
    await mismatch({ ...req, headers: ["Host", flipBit(headerOf(req.headers, "host")!, 0)] });
    await mismatch(withParam("X-Amz-Date", "20130524T000001Z"));
    await mismatch(withParam("X-Amz-Expires", "86401"));
    await mismatch(withParam("X-Amz-Signature", flipBit(p.signature, 63)));
    await mismatch({ ...req, query: `${req.query}&response-content-type=x` });
    await mismatch(req, { ...opts, secretFor: () => wrongSecret });
  });

  void it("refuses malformed or missing presigned parameters with InvalidArgument", async () => {
    await rejectsCode(
      verifyClientSignature(withParam("X-Amz-Expires", "604801"), opts),
      "InvalidArgument",
      /week/,
    );
    await rejectsCode(verifyClientSignature(withParam("X-Amz-Expires", "-1"), opts), "InvalidArgument");
    await rejectsCode(verifyClientSignature(withParam("X-Amz-Date", "2013-05-24"), opts), "InvalidArgument");
    await rejectsCode(
      verifyClientSignature(withParam("X-Amz-Algorithm", "AWS4-HMAC-SHA512"), opts),
      "InvalidArgument",
    );
    await rejectsCode(
      verifyClientSignature(withParam("X-Amz-Credential", "AKID%2F20130524"), opts),
      "InvalidArgument",
    );
    await rejectsCode(
      verifyClientSignature({ ...req, query: req.query.replace(/&X-Amz-SignedHeaders=host/, "") }, opts),
      "InvalidArgument",
    );
    await rejectsCode(
      verifyClientSignature({ ...req, query: `${req.query}&X-Amz-Date=20130524T000000Z` }, opts),
      "InvalidArgument",
    );
    await rejectsCode(
      verifyClientSignature(withParam("X-Amz-SignedHeaders", "range"), opts),
      "InvalidArgument",
      /host/,
    );
  });
});

void describe("verifyClientSignature: aws-chunked seed requests", () => {
  for (const seed of DOC.chunkedSeeds) {
    void it(`${seed.name}: verifies, and the result starts the documented chunk chain`, async () => {
      const ok = await verifyClientSignature(incoming(seed), opts);
      assert.equal(ok.payloadHash, seed.payloadHash);
      const first = Buffer.alloc(65536, "a");
      const chain = new ChunkSignatureChain(ok.signingKey, ok.chunkContext);
      assert.equal(
        signChunk(ok.signingKey, ok.chunkContext, ok.chunkContext.seedSignature, first),
        seed.firstChunkSignature,
      );
      assert.ok(chain.verifyChunk(createHash("sha256").update(first).digest(), seed.firstChunkSignature));
    });
  }
});

void describe("verifyClientSignature: refusals before the signature check", () => {
  const v = DOC.vectors[0]!;
  const req = incoming(v);
  const auth = headerOf(req.headers, "authorization")!;
  const withAuth = (value: string): IncomingRequest => ({
    ...req,
    headers: setHeader(req.headers, "authorization", value),
  });

  void it("an unknown access key is InvalidAccessKeyId; the lookup may be async", async () => {
    await rejectsCode(
      verifyClientSignature(req, { ...opts, secretFor: () => undefined }),
      "InvalidAccessKeyId",
    );
    await verifyClientSignature(req, { ...opts, secretFor: (id) => Promise.resolve(docSecrets(id)) });
  });

  void it("unsigned x-amz-* headers are AccessDenied", async () => {
    await rejectsCode(
      verifyClientSignature({ ...req, headers: [...req.headers, "X-Amz-Meta-Extra", "1"] }, opts),
      "AccessDenied",
      /not signed/,
    );
    // Other unsigned headers are fine, as in S3.
    await verifyClientSignature(
      { ...req, headers: [...req.headers, "User-Agent", "x", "Accept", "*/*"] },
      opts,
    );
  });

  void it("header auth needs a valid x-amz-content-sha256 and x-amz-date", async () => {
    const without = (name: string): string[] => {
      const i = req.headers.findIndex((h) => h.toLowerCase() === name);
      return [...req.headers.slice(0, i), ...req.headers.slice(i + 2)];
    };
    await rejectsCode(
      verifyClientSignature({ ...req, headers: without("x-amz-content-sha256") }, opts),
      "InvalidRequest",
    );
    await rejectsCode(
      verifyClientSignature(
        { ...req, headers: setHeader(req.headers, "x-amz-content-sha256", "nope") },
        opts,
      ),
      "InvalidArgument",
    );
    await rejectsCode(
      verifyClientSignature({ ...req, headers: without("x-amz-date") }, opts),
      "AccessDenied",
      /x-amz-date/,
    );
    await rejectsCode(
      verifyClientSignature(
        { ...req, headers: setHeader(req.headers, "x-amz-date", "20130524T250000Z") },
        opts,
      ),
      "AccessDenied",
    );
  });

  void it("a malformed Authorization header is AuthorizationHeaderMalformed", async () => {
    await rejectsCode(
      verifyClientSignature(withAuth(auth.replace(/SignedHeaders=[^,]*,/, "")), opts),
      "AuthorizationHeaderMalformed",
    );
    await rejectsCode(
      verifyClientSignature(withAuth(auth.replace("aws4_request", "aws5_request")), opts),
      "AuthorizationHeaderMalformed",
    );
    await rejectsCode(
      verifyClientSignature(withAuth(auth.replace("/20130524/", "/20130525/")), opts),
      "AuthorizationHeaderMalformed",
    );
    await rejectsCode(
      verifyClientSignature(withAuth(auth.replace("host;", "")), opts),
      "AuthorizationHeaderMalformed",
      /host/,
    );
    await rejectsCode(
      verifyClientSignature(withAuth(auth.replace("host;range", "Host;range")), opts),
      "AuthorizationHeaderMalformed",
    );
    await rejectsCode(verifyClientSignature(withAuth("Bearer abc"), opts), "AuthorizationHeaderMalformed");
    await rejectsCode(
      verifyClientSignature({ ...req, headers: [...req.headers, "Authorization", auth] }, opts),
      "AuthorizationHeaderMalformed",
    );
  });

  void it("a scope for another service, or another region than expected, is AuthorizationHeaderMalformed", async () => {
    await rejectsCode(
      verifyClientSignature(withAuth(auth.replace("/s3/", "/iam/")), opts),
      "AuthorizationHeaderMalformed",
      /service/,
    );
    await rejectsCode(
      verifyClientSignature(req, { ...opts, region: "eu-west-1" }),
      "AuthorizationHeaderMalformed",
      /region/,
    );
    await verifyClientSignature(req, { ...opts, region: "us-east-1" });
  });

  void it("SigV2, SigV4a and anonymous requests are refused", async () => {
    await rejectsCode(
      verifyClientSignature(withAuth("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="), opts),
      "InvalidRequest",
    );
    await rejectsCode(
      verifyClientSignature(withAuth("AWS4-ECDSA-P256-SHA256 Credential=x"), opts),
      "InvalidRequest",
    );
    const v2Query = {
      method: "GET",
      path: "/k",
      query: "AWSAccessKeyId=AKID&Expires=1&Signature=abc",
      headers: ["Host", "h"],
    };
    await rejectsCode(verifyClientSignature(v2Query, opts), "InvalidRequest");
    await rejectsCode(
      verifyClientSignature({ method: "GET", path: "/k", query: "", headers: ["Host", "h"] }, opts),
      "AccessDenied",
    );
  });

  void it("header and query authentication together are InvalidArgument", async () => {
    await rejectsCode(
      verifyClientSignature(
        { ...req, query: "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404" },
        opts,
      ),
      "InvalidArgument",
      /Only one auth mechanism/,
    );
  });
});

void describe("verifyClientSignature: non-canonical path encodings", () => {
  void it("accepts a client that signed S3's canonical form of a path it sent encoded differently", async () => {
    // GET Object with the key sent as /test%2Etxt ('.' needlessly escaped): S3 canonicalises it to /test.txt.
    const req = incoming(DOC.vectors[0]!);
    await verifyClientSignature({ ...req, path: "/test%2etxt" }, opts);
    await verifyClientSignature({ ...req, path: "/%74est.txt" }, opts);
  });

  void it("refuses a malformed path with InvalidURI", async () => {
    await rejectsCode(
      verifyClientSignature({ ...incoming(DOC.vectors[0]!), path: "/test%zz.txt" }, opts),
      "InvalidURI",
    );
  });
});
