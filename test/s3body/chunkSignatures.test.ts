/**
 * Chunk and trailer signatures against the AWS documentation's examples (sigv4-streaming.html and
 * sigv4-streaming-trailers.html: 66,560 bytes of 'a', chunks 65,536 + 1,024 + 0), and the Authorization parsing
 * the chain starts from.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import {
  canonicalTrailers,
  chunkStringToSign,
  ChunkSignatureChain,
  deriveSigningKey,
  signChunk,
} from "../../src/s3body/chunkSignatures.ts";
import { parseSigningContext } from "../../src/s3body/parseSigningContext.ts";
import { AWS_DOC, headers, throwsCode } from "./helpers.ts";

const key = deriveSigningKey(AWS_DOC.secret, "20130524", "us-east-1", "s3");
const ctx = { timestamp: AWS_DOC.timestamp, scope: AWS_DOC.scope };
const sha = (d: Buffer): Buffer => createHash("sha256").update(d).digest();
const pieces = [AWS_DOC.data.subarray(0, 65536), AWS_DOC.data.subarray(65536), Buffer.alloc(0)];

void describe("chunk signatures: AWS documentation example (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)", () => {
  void it("builds the documented string to sign for the first chunk", () => {
    assert.equal(
      chunkStringToSign(ctx, AWS_DOC.chunked.seed, sha(pieces[0] as Buffer).toString("hex")),
      [
        "AWS4-HMAC-SHA256-PAYLOAD",
        "20130524T000000Z",
        "20130524/us-east-1/s3/aws4_request",
        "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a",
      ].join("\n"),
    );
  });

  void it("reproduces the three documented chunk signatures, chained from the seed", () => {
    let previous: string = AWS_DOC.chunked.seed;
    pieces.forEach((piece, i) => {
      previous = signChunk(key, ctx, previous, piece);
      assert.equal(previous, AWS_DOC.chunked.chunks[i]);
    });
  });

  void it("verifies the chain, and rejects a reordered, tampered or replayed signature", () => {
    const chain = new ChunkSignatureChain(key, { ...ctx, seedSignature: AWS_DOC.chunked.seed });
    assert.equal(chain.verifyChunk(sha(pieces[0] as Buffer), AWS_DOC.chunked.chunks[0]), true);
    // The second chunk's data with the third signature: out of order.
    assert.equal(chain.verifyChunk(sha(pieces[1] as Buffer), AWS_DOC.chunked.chunks[2]), false);
    // A flipped nibble.
    const flipped = `1${AWS_DOC.chunked.chunks[1].slice(1)}`;
    assert.equal(chain.verifyChunk(sha(pieces[1] as Buffer), flipped), false);
    // The first signature replayed for the second chunk.
    assert.equal(chain.verifyChunk(sha(pieces[0] as Buffer), AWS_DOC.chunked.chunks[0]), false);
    // The chain did not advance on failures, so the right one still verifies; uppercase hex is accepted.
    assert.equal(chain.verifyChunk(sha(pieces[1] as Buffer), AWS_DOC.chunked.chunks[1].toUpperCase()), true);
    assert.equal(chain.verifyChunk(sha(Buffer.alloc(0)), AWS_DOC.chunked.chunks[2]), true);
  });

  void it("rejects signatures that are not 32 bytes of hex", () => {
    const chain = new ChunkSignatureChain(key, { ...ctx, seedSignature: AWS_DOC.chunked.seed });
    assert.equal(chain.verifyChunk(sha(pieces[0] as Buffer), AWS_DOC.chunked.chunks[0].slice(0, 62)), false);
    assert.equal(chain.verifyChunk(sha(pieces[0] as Buffer), ""), false);
  });
});

void describe("trailer signature: AWS documentation example (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)", () => {
  void it("reproduces the documented chunk signatures and verifies the CRC32C trailer's signature", () => {
    let previous: string = AWS_DOC.trailer.seed;
    pieces.forEach((piece, i) => {
      previous = signChunk(key, ctx, previous, piece);
      assert.equal(previous, AWS_DOC.trailer.chunks[i]);
    });
    const chain = new ChunkSignatureChain(key, { ...ctx, seedSignature: AWS_DOC.trailer.seed });
    for (const [i, piece] of pieces.entries())
      assert.ok(chain.verifyChunk(sha(piece), AWS_DOC.trailer.chunks[i] ?? ""));
    const canonical = canonicalTrailers([
      ["x-amz-checksum-crc32c", AWS_DOC.trailer.checksum],
      ["x-amz-trailer-signature", AWS_DOC.trailer.trailerSignature],
    ]);
    assert.equal(canonical, "x-amz-checksum-crc32c:sOO8/Q==\n");
    assert.equal(chain.verifyTrailer(canonical, AWS_DOC.trailer.trailerSignature), true);
  });

  void it("rejects the trailer signature over a different checksum value", () => {
    const chain = new ChunkSignatureChain(key, { ...ctx, seedSignature: AWS_DOC.trailer.seed });
    for (const [i, piece] of pieces.entries()) chain.verifyChunk(sha(piece), AWS_DOC.trailer.chunks[i] ?? "");
    assert.equal(
      chain.verifyTrailer("x-amz-checksum-crc32c:AAAAAA==\n", AWS_DOC.trailer.trailerSignature),
      false,
    );
  });
});

void describe("parseSigningContext", () => {
  void it("reads scope, timestamp and seed from the documented request", () => {
    assert.deepEqual(parseSigningContext(headers(AWS_DOC.chunked.headers)), {
      timestamp: "20130524T000000Z",
      scope: "20130524/us-east-1/s3/aws4_request",
      seedSignature: AWS_DOC.chunked.seed,
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      date: "20130524",
      region: "us-east-1",
      service: "s3",
    });
  });

  void it("accepts the spacing real clients use after commas", () => {
    const auth = AWS_DOC.chunked.headers.Authorization.replace(/,/g, ", ");
    assert.equal(
      parseSigningContext(headers({ ...AWS_DOC.chunked.headers, Authorization: auth })).seedSignature,
      AWS_DOC.chunked.seed,
    );
  });

  void it("refuses what it cannot parse with AuthorizationHeaderMalformed", () => {
    const base = AWS_DOC.chunked.headers;
    const cases: Record<string, string>[] = [
      { ...base, Authorization: "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=" },
      { ...base, Authorization: base.Authorization.replace("/aws4_request", "/aws5_request") },
      { ...base, Authorization: base.Authorization.replace("us-east-1/", "") },
      { ...base, Authorization: base.Authorization.replace(/Signature=.*/, "Signature=abc") },
      { ...base, "x-amz-date": "Fri, 24 May 2013 00:00:00 GMT" },
      { ...base, "x-amz-date": "20130525T000000Z" },
    ];
    for (const c of cases) throwsCode(() => parseSigningContext(headers(c)), "AuthorizationHeaderMalformed");
    const { Authorization: _a, ...noAuth } = base;
    throwsCode(() => parseSigningContext(headers(noAuth)), "AuthorizationHeaderMalformed");
  });
});
