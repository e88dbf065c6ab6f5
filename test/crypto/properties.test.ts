/**
 * Property tests (fast-check, fixed seeds so runs are reproducible): round trips of random sizes, chunkings
 * and ranges for single-part and multipart objects, biased toward segment boundaries and 0-byte objects, and
 * "corruption never yields wrong plaintext". Small segments (4-8 KiB) keep many records per object cheap.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DecryptError } from "../../src/crypto/errors.ts";
import { partSegmentsFromFirstRecord } from "../../src/crypto/openRecord.ts";
import { planRange } from "../../src/crypto/rangePlan.ts";
import { ciphertextLength, recordLength } from "../../src/crypto/segmentMath.ts";
import { decryptBytes, decryptObject, encryptObject, newKeys, pattern } from "./helpers.ts";

const keysByExponent = {
  single: { 12: newKeys("single", 12, "p12"), 13: newKeys("single", 13, "p13") },
  multipart: { 12: newKeys("multipart", 12, "m12"), 13: newKeys("multipart", 13, "m13") },
};

const exponent = fc.constantFrom(12 as const, 13 as const);
/** Sizes at, just below and just above segment boundaries, plus arbitrary ones. */
const size = (e: number) =>
  fc.oneof(
    fc.constant(0),
    fc
      .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: -1, max: 1 }))
      .map(([k, d]) => Math.max(0, k * 2 ** e + d)),
    fc.integer({ min: 0, max: 5 * 2 ** e }),
  );
const chunks = fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 4 });
const fraction = fc.double({ min: 0, max: 1, noNaN: true });

function rangeOf(p: number, a: number, b: number): [number, number] {
  const start = Math.min(p - 1, Math.floor(a * p));
  return [start, start + 1 + Math.floor(b * (p - start - 1))];
}

const runs = { seed: 20260101, numRuns: 300 };

void describe("properties", () => {
  void it("single-part: any size and chunking round-trips, and any range decrypts from its records alone", async () => {
    await fc.assert(
      fc.asyncProperty(
        exponent.chain((e) => fc.tuple(fc.constant(e), size(e), chunks, chunks, fraction, fraction)),
        async ([e, p, encChunks, decChunks, a, b]) => {
          const keys = keysByExponent.single[e];
          const plaintext = pattern(p, p);
          const ct = await encryptObject(keys, [plaintext], encChunks);
          assert.equal(ct.length, ciphertextLength(p, e));
          assert.deepEqual(await decryptObject(keys, ct, decChunks), plaintext);
          if (p === 0) return;
          const [start, end] = rangeOf(p, a, b);
          const plan = planRange({ segmentExponent: e, ciphertextLength: ct.length, start, end });
          const out = await decryptBytes(keys, ct.subarray(plan.cipherStart, plan.cipherEnd), plan, {
            chunks: decChunks,
          });
          assert.deepEqual(out, plaintext.subarray(start, end));
        },
      ),
      runs,
    );
  });

  void it("multipart: uniform parts plus a shorter (possibly empty) last part round-trip, ranges cross parts", async () => {
    await fc.assert(
      fc.asyncProperty(
        exponent,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fraction,
        chunks,
        fraction,
        fraction,
        async (e, k, n, lastFraction, decChunks, a, b) => {
          const keys = keysByExponent.multipart[e];
          const s = 2 ** e;
          const lastSize = n === 1 ? Math.floor(lastFraction * 3 * k * s) : Math.floor(lastFraction * k * s);
          const parts = Array.from({ length: n }, (_, i) => pattern(i === n - 1 ? lastSize : k * s, i));
          const plaintext = Buffer.concat(parts);
          const ct = await encryptObject(keys, parts);
          assert.deepEqual(await decryptObject(keys, ct, decChunks), plaintext);
          if (plaintext.length === 0) return;
          const partSegments = partSegmentsFromFirstRecord(
            keys,
            ct.subarray(0, recordLength(0, ct.length, e)),
            ct.length,
          );
          const [start, end] = rangeOf(plaintext.length, a, b);
          const plan = planRange({ segmentExponent: e, ciphertextLength: ct.length, start, end });
          const out = await decryptBytes(keys, ct.subarray(plan.cipherStart, plan.cipherEnd), plan, {
            partSegments,
          });
          assert.deepEqual(out, plaintext.subarray(start, end));
        },
      ),
      runs,
    );
  });

  void it("a corrupted object never decrypts to wrong plaintext, whole or by range", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 * 4096 }),
        fraction,
        fc.integer({ min: 0, max: 7 }),
        fraction,
        fraction,
        async (p, where, bit, a, b) => {
          const keys = keysByExponent.single[12];
          const plaintext = pattern(p, 9);
          const ct = await encryptObject(keys, [plaintext]);
          const at = Math.min(ct.length - 1, Math.floor(where * ct.length));
          ct[at] = (ct[at] ?? 0) ^ (1 << bit);
          await assert.rejects(decryptObject(keys, ct), (err) => err instanceof DecryptError);
          const [start, end] = rangeOf(p, a, b);
          const plan = planRange({ segmentExponent: 12, ciphertextLength: ct.length, start, end });
          try {
            const out = await decryptBytes(keys, ct.subarray(plan.cipherStart, plan.cipherEnd), plan);
            assert.ok(
              at < plan.cipherStart || at >= plan.cipherEnd,
              "corrupted bytes were fetched but accepted",
            );
            assert.deepEqual(out, plaintext.subarray(start, end));
          } catch (err) {
            assert.ok(err instanceof DecryptError, String(err));
          }
        },
      ),
      runs,
    );
  });
});
