/**
 * Property tests (fast-check, fixed seed): for random plaintexts, encodings (chunk sizes, signed or not, any
 * checksum trailer) and feeds (random splits, and one byte at a time) the decoded plaintext and the verdict are
 * identical; and no single flipped bit anywhere in a body ever yields accepted plaintext that differs from the
 * original.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { checksumOf, type ChecksumAlgorithm } from "../../src/s3body/checksums.ts";
import { deriveSigningKey } from "../../src/s3body/chunkSignatures.ts";
import { createBodyDecoding } from "../../src/s3body/createBodyDecoding.ts";
import { parsePayloadMode, type StreamingPayload } from "../../src/s3body/parsePayloadMode.ts";
import { encodeAwsChunked, headers, run, split, type RunResult } from "./helpers.ts";

const runs = { seed: 20261126, numRuns: 150 };
const SECRET = "test-secret";
const key = deriveSigningKey(SECRET, "20261126", "eu-west-1", "s3");
const SEED = "c0ffee".padEnd(64, "0");
const signWith = {
  key,
  timestamp: "20261126T120000Z",
  scope: "20261126/eu-west-1/s3/aws4_request",
  seed: SEED,
};

interface Case {
  plaintext: Buffer;
  mode: StreamingPayload;
  algorithm: ChecksumAlgorithm;
  encodeSizes: number[];
}

function request(c: Case): { raw: string[]; body: Buffer } {
  const signed = c.mode !== "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
  const trailer = c.mode.endsWith("-TRAILER");
  const name = `x-amz-checksum-${c.algorithm.toLowerCase()}`;
  const raw = headers({
    Authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20261126/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=${SEED}`,
    "x-amz-date": signWith.timestamp,
    "x-amz-content-sha256": c.mode,
    "Content-Encoding": "aws-chunked",
    "x-amz-decoded-content-length": String(c.plaintext.length),
    ...(trailer ? { "x-amz-trailer": name } : {}),
  });
  const body = encodeAwsChunked(c.plaintext, c.encodeSizes, {
    ...(signed ? { sign: signWith } : {}),
    ...(trailer ? { trailers: [[name, checksumOf(c.algorithm, c.plaintext)]] } : {}),
    signTrailer: c.mode === "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
  });
  return { raw, body };
}

async function decode(raw: string[], body: Buffer, sizes: number[]): Promise<RunResult> {
  const d = createBodyDecoding(parsePayloadMode(raw), raw, {
    signingKeyFor: (akid) => (akid === "AKIDTEST" ? key : undefined),
  });
  return run(d.transforms, split(body, sizes));
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  plaintext: fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
  mode: fc.constantFrom<StreamingPayload>(
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
  ),
  algorithm: fc.constantFrom<ChecksumAlgorithm>(
    "CRC32",
    "CRC32C",
    "CRC64NVME",
    "SHA1",
    "SHA256",
    "SHA512",
    "MD5",
  ),
  encodeSizes: fc.array(fc.integer({ min: 1, max: 1200 }), { minLength: 1, maxLength: 4 }),
});
const feedArb = fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 });

void describe("properties: aws-chunked decoding", () => {
  void it("any encoding fed in any split — and byte by byte — decodes to the plaintext and verifies", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, feedArb, async (c, feed) => {
        const { raw, body } = request(c);
        const split1 = await decode(raw, body, feed);
        assert.equal(split1.error, undefined, String(split1.error));
        assert.ok(split1.output.equals(c.plaintext));
        const bytewise = await decode(raw, body, [1]);
        assert.equal(bytewise.error, undefined);
        assert.ok(bytewise.output.equals(split1.output));
      }),
      runs,
    );
  });

  void it("a single flipped bit anywhere never yields accepted plaintext that differs from the original", async () => {
    await fc.assert(
      fc.asyncProperty(
        caseArb,
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        feedArb,
        async (c, at, bit, feed) => {
          const { raw, body } = request(c);
          const bad = Buffer.from(body);
          const i = at % bad.length;
          bad[i] = (bad[i] ?? 0) ^ (1 << bit);
          const r = await decode(raw, bad, feed);
          if (r.error === undefined)
            assert.ok(r.output.equals(c.plaintext), `accepted a modified body (byte ${i})`);
          else assert.equal(r.ended, false);
        },
      ),
      { ...runs, numRuns: 300 },
    );
  });

  void it("the same verdict and error code whatever the split", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.nat(), feedArb, feedArb, async (c, at, feedA, feedB) => {
        const { raw, body } = request(c);
        const bad = Buffer.from(body);
        const i = at % bad.length;
        bad[i] = (bad[i] ?? 0) ^ 0x04;
        const a = await decode(raw, bad, feedA);
        const b = await decode(raw, bad, feedB);
        const code = (e: unknown): unknown => (e as { code?: unknown } | undefined)?.code;
        assert.equal(code(a.error), code(b.error));
        assert.ok(a.output.equals(b.output) || a.error !== undefined);
      }),
      runs,
    );
  });
});
