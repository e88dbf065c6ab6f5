import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { createEnvelope } from "../../src/crypto/createEnvelope.ts";
import { createDecryptStream } from "../../src/crypto/decryptStream.ts";
import { decodeEnvelopeHeader } from "../../src/crypto/envelopeHeader.ts";
import { DecryptError } from "../../src/crypto/errors.ts";
import { openObjectKeys, type ObjectKeys } from "../../src/crypto/objectKeys.ts";
import { partSegmentsFromFirstRecord } from "../../src/crypto/openRecord.ts";
import { planRange, type RangePlan } from "../../src/crypto/rangePlan.ts";
import { sealRecord } from "../../src/crypto/sealRecord.ts";
import { recordSize } from "../../src/crypto/segmentMath.ts";
import {
  decryptBytes,
  decryptObject,
  encryptObject,
  encryptPart,
  newKeys,
  pattern,
  rejectsWith,
  seededRandom,
  throwsWith,
} from "./helpers.ts";

const E = 12;
const S = 2 ** E;
const R = recordSize(E);

/** Run the decrypt stream and report what it released before failing. */
async function run(
  keys: ObjectKeys,
  input: Buffer,
  plan: RangePlan,
  partSegments?: number,
): Promise<{ released: number; error: unknown }> {
  const stream = createDecryptStream({ keys, plan, ...(partSegments === undefined ? {} : { partSegments }) });
  let released = 0;
  stream.on("data", (chunk: Buffer) => {
    released += chunk.length;
  });
  Readable.from([input]).pipe(stream);
  const error = await new Promise<unknown>((resolve) => {
    stream.on("error", resolve);
    stream.on("end", () => resolve(undefined));
  });
  return { released, error };
}

const wholePlan = (ciphertext: Buffer): RangePlan =>
  planRange({ segmentExponent: E, ciphertextLength: ciphertext.length });

function swap(ct: Buffer, a: number, b: number): Buffer {
  const out = Buffer.from(ct);
  ct.copy(out, a * R, b * R, (b + 1) * R);
  ct.copy(out, b * R, a * R, (a + 1) * R);
  return out;
}

void describe("decrypt stream: single-part", async () => {
  const keys = newKeys("single", E, "dec-single");
  const plaintext = pattern(2 * S + 100, 1);
  const ct = await encryptObject(keys, [plaintext]);

  void it("round-trips whole objects under any chunking", async () => {
    for (const chunks of [[1], [16], [17, 5000], [R], [ct.length]]) {
      assert.deepEqual(await decryptObject(keys, ct, chunks), plaintext);
    }
  });

  void it("decrypts a range from the records it touches only", async () => {
    const plan = planRange({ segmentExponent: E, ciphertextLength: ct.length, start: S + 5, end: S + 10 });
    assert.deepEqual([plan.firstRecord, plan.endRecord], [1, 2]);
    const out = await decryptBytes(keys, ct.subarray(plan.cipherStart, plan.cipherEnd), plan);
    assert.deepEqual(out, plaintext.subarray(S + 5, S + 10));
  });

  void it("detects a flipped bit anywhere in the object (header, ciphertext or tag of any record)", async () => {
    for (let at = 0; at < ct.length; at++) {
      const bad = Buffer.from(ct);
      bad[at] = (bad[at] ?? 0) ^ (1 << (at % 8));
      const { error } = await run(keys, bad, wholePlan(bad));
      assert.ok(
        error instanceof DecryptError && error.code === "DecryptAuthFailed",
        `byte ${at}: ${String(error)}`,
      );
    }
  });

  void it("never releases plaintext of a record before its tag verified", async () => {
    const bad = Buffer.from(ct);
    const lastByteOfRecord1 = 2 * R - 1;
    bad[lastByteOfRecord1] = (bad[lastByteOfRecord1] ?? 0) ^ 0x80;
    const { released, error } = await run(keys, bad, wholePlan(bad));
    assert.equal(released, S, "only record 0 may be released");
    assert.ok(error instanceof DecryptError);
    const one = await encryptObject(keys, [pattern(10)]);
    one[one.length - 1] = (one[one.length - 1] ?? 0) ^ 1;
    const single = await run(keys, one, wholePlan(one));
    assert.equal(single.released, 0);
    assert.ok(single.error instanceof DecryptError);
  });

  void it("detects truncation at every length: by arithmetic, by record counts, or by the cut record's tag", async () => {
    for (let cut = 0; cut < ct.length; cut++) {
      const short = ct.subarray(0, cut);
      let plan: RangePlan;
      try {
        plan = wholePlan(short);
      } catch (err) {
        assert.ok(err instanceof Error && "code" in err && err.code === "LengthInvalid", `cut ${cut}`);
        continue;
      }
      const { released, error } = await run(keys, short, plan);
      // Fewer records than written: record 0 (if intact) already disagrees with the object length. Same number
      // of records (cut inside the last one) or record 0 cut: the cut record fails authentication.
      const fewerRecords = plan.recordCount < 3 && cut >= R;
      const want = fewerRecords ? "DecryptTruncated" : "DecryptAuthFailed";
      assert.ok(error instanceof DecryptError && error.code === want, `cut ${cut}: ${String(error)}`);
      assert.equal(released, fewerRecords || cut < R ? 0 : 2 * S, `cut ${cut}`);
    }
  });

  void it("detects truncation even in a range that does not reach the end", async () => {
    const short = ct.subarray(0, 2 * R); // last record dropped: a valid length
    const plan = planRange({ segmentExponent: E, ciphertextLength: short.length, start: 0, end: 10 });
    await rejectsWith(
      decryptBytes(keys, short.subarray(plan.cipherStart, plan.cipherEnd), plan),
      "DecryptTruncated",
    );
  });

  void it("detects a stream that ends before the planned bytes (connection cut)", async () => {
    await rejectsWith(decryptBytes(keys, ct.subarray(0, ct.length - 1), wholePlan(ct)), "DecryptTruncated");
    await rejectsWith(decryptBytes(keys, ct.subarray(0, 2 * R), wholePlan(ct)), "DecryptTruncated");
  });

  void it("detects trailing data: appended records, appended garbage, and bytes beyond the plan", async () => {
    // whole extra records: the counts in the records no longer match
    await rejectsWith(decryptObject(keys, Buffer.concat([ct, ct.subarray(0, R)])), "DecryptTrailingData");
    await rejectsWith(decryptObject(keys, Buffer.concat([ct, Buffer.alloc(R, 0xee)])), "DecryptTrailingData");
    // fewer bytes than a record lengthen the last record, which then fails its tag
    await rejectsWith(decryptObject(keys, Buffer.concat([ct, ct.subarray(2 * R)])), "DecryptAuthFailed");
    await rejectsWith(decryptObject(keys, Buffer.concat([ct, Buffer.alloc(40, 0xee)])), "DecryptAuthFailed");
    throwsWith(() => wholePlan(Buffer.alloc(3 * R + 10)), "LengthInvalid");
    await rejectsWith(
      decryptBytes(keys, Buffer.concat([ct, Buffer.alloc(1)]), wholePlan(ct)),
      "DecryptTrailingData",
    );
  });

  void it("detects reordered, swapped and duplicated records", async () => {
    await rejectsWith(decryptObject(keys, swap(ct, 0, 1)), "DecryptSegmentMisplaced");
    const dup = Buffer.from(ct);
    ct.copy(dup, R, 0, R);
    await rejectsWith(decryptObject(keys, dup), "DecryptSegmentMisplaced");
    // a range read of the swapped record alone
    const swapped = swap(ct, 0, 1);
    const plan = planRange({ segmentExponent: E, ciphertextLength: ct.length, start: S, end: S + 1 });
    await rejectsWith(
      decryptBytes(keys, swapped.subarray(plan.cipherStart, plan.cipherEnd), plan),
      "DecryptSegmentMisplaced",
    );
  });

  void it("detects records spliced in from another object, and the wrong object keys", async () => {
    const other = newKeys("single", E, "dec-other");
    const otherCt = await encryptObject(other, [pattern(2 * S + 100, 2)]);
    const spliced = Buffer.from(ct);
    otherCt.copy(spliced, R, R, 2 * R);
    await rejectsWith(decryptObject(keys, spliced), "DecryptAuthFailed");
    await rejectsWith(decryptObject(other, ct), "DecryptAuthFailed");
  });

  void it("detects a final flag that does not match the object: early final, missing final", async () => {
    const partNonce = Buffer.alloc(8, 1);
    const rec = (index: number, count: number): Buffer =>
      sealRecord(keys, { part: 0, partNonce, index, count }, pattern(S, index));
    // record 0 says the object ends there (count 1) but a record follows
    await rejectsWith(decryptObject(keys, Buffer.concat([rec(0, 1), rec(1, 2)])), "DecryptTrailingData");
    // no record says it is final (count 3), the object has two
    await rejectsWith(decryptObject(keys, Buffer.concat([rec(0, 3), rec(1, 3)])), "DecryptTruncated");
    assert.deepEqual(
      await decryptObject(keys, Buffer.concat([rec(0, 2), rec(1, 2)])),
      Buffer.concat([pattern(S, 0), pattern(S, 1)]),
    );
  });

  void it("detects a tampered envelope header (segment size, layout) that still passes the commitment", async () => {
    for (const [offset, value] of [
      [2, 13],
      [3, 1],
    ] as const) {
      const bytes = Buffer.from(keys.header.bytes);
      bytes[offset] = value;
      const tampered = openObjectKeys(decodeEnvelopeHeader(bytes), keysDek);
      const plan = (() => {
        try {
          return planRange({ segmentExponent: tampered.header.segmentExponent, ciphertextLength: ct.length });
        } catch {
          return undefined; // an impossible length under the tampered segment size is also a refusal
        }
      })();
      if (plan === undefined) continue;
      const { released, error } = await run(tampered, ct, plan);
      assert.equal(released, 0);
      assert.ok(error instanceof DecryptError && error.code === "DecryptAuthFailed", String(error));
    }
  });

  void it("rejects a plan made for another segment size", () => {
    const plan = planRange({ segmentExponent: 13, ciphertextLength: 32 });
    assert.throws(() => createDecryptStream({ keys, plan }), RangeError);
  });
});

// The DEK behind newKeys("single", E, "dec-single"), to re-open keys over a tampered header.
const keysDek = createEnvelope({
  layout: "single",
  segmentExponent: E,
  randomBytes: seededRandom("dec-single"),
}).dek;

void describe("decrypt stream: multipart", async () => {
  const keys = newKeys("multipart", E, "dec-multi");
  const parts = [pattern(2 * S, 1), pattern(2 * S, 2), pattern(100, 3)];
  const plaintext = Buffer.concat(parts);
  const ct = await encryptObject(keys, parts);
  const K = 2;

  void it("round-trips and learns K from record 0", async () => {
    assert.deepEqual(await decryptObject(keys, ct, [1000]), plaintext);
    assert.equal(partSegmentsFromFirstRecord(keys, ct.subarray(0, R), ct.length), K);
  });

  void it("reads ranges across part boundaries given K from record 0", async () => {
    const k = partSegmentsFromFirstRecord(keys, ct.subarray(0, R), ct.length);
    for (const [start, end] of [
      [S + 10, 2 * S + 10],
      [2 * S - 1, 4 * S + 1],
      [4 * S, 4 * S + 100],
      [3 * S, 4 * S + 50],
    ] as const) {
      const plan = planRange({ segmentExponent: E, ciphertextLength: ct.length, start, end });
      const out = await decryptBytes(keys, ct.subarray(plan.cipherStart, plan.cipherEnd), plan, {
        partSegments: k,
      });
      assert.deepEqual(out, plaintext.subarray(start, end));
    }
  });

  void it("requires K for a range that does not start at record 0, and rejects a wrong K", async () => {
    const plan = planRange({ segmentExponent: E, ciphertextLength: ct.length, start: 2 * S, end: 2 * S + 1 });
    assert.throws(() => createDecryptStream({ keys, plan }), TypeError);
    const input = ct.subarray(plan.cipherStart, plan.cipherEnd);
    await rejectsWith(decryptBytes(keys, input, plan, { partSegments: 1 }), "DecryptSegmentMisplaced");
    await rejectsWith(decryptBytes(keys, input, plan, { partSegments: 3 }), "DecryptSegmentMisplaced");
  });

  void it("detects swapped, dropped and duplicated parts", async () => {
    const p = (i: number): Buffer => ct.subarray(i * K * R, Math.min((i + 1) * K * R, ct.length));
    await rejectsWith(decryptObject(keys, Buffer.concat([p(1), p(0), p(2)])), "DecryptSegmentMisplaced");
    await rejectsWith(decryptObject(keys, Buffer.concat([p(0), p(2)])), "DecryptSegmentMisplaced");
    await rejectsWith(
      decryptObject(keys, Buffer.concat([p(0), p(1), p(1), p(2)])),
      "DecryptSegmentMisplaced",
    );
    await rejectsWith(decryptObject(keys, swap(ct, 2, 3)), "DecryptSegmentMisplaced");
  });

  void it("detects records of two different uploads of the same part number", async () => {
    const again = await encryptPart(keys, 2, parts[1] ?? Buffer.alloc(0), { seed: "re-upload" });
    const mixed = Buffer.from(ct);
    again.copy(mixed, 3 * R, R, 2 * R); // second record of part 2 from the other upload
    await rejectsWith(decryptObject(keys, mixed), "DecryptSegmentMisplaced");
  });

  void it("detects truncation and appended data inside parts", async () => {
    await rejectsWith(decryptObject(keys, ct.subarray(0, ct.length - 1)), "DecryptAuthFailed");
    await rejectsWith(decryptObject(keys, ct.subarray(0, 3 * R)), "DecryptTruncated");
    await rejectsWith(
      decryptObject(keys, Buffer.concat([ct.subarray(0, 4 * R), Buffer.alloc(R)])),
      "DecryptAuthFailed",
    );
    // an appended record turns the short last record into a full one: its tag fails
    await rejectsWith(decryptObject(keys, Buffer.concat([ct, ct.subarray(0, R)])), "DecryptAuthFailed");
    // after two full parts, a record that is not part 3's first
    await rejectsWith(
      decryptObject(keys, Buffer.concat([ct.subarray(0, 4 * R), ct.subarray(0, R)])),
      "DecryptSegmentMisplaced",
    );
  });

  void it("known limit (FORMAT.md §9): dropping whole trailing parts is not detected", async () => {
    const prefix = ct.subarray(0, 2 * K * R);
    assert.deepEqual(await decryptObject(keys, prefix), plaintext.subarray(0, 4 * S));
  });

  void it("refuses objects written against the layout rules (short middle part)", async () => {
    const bad = newKeys("multipart", E, "dec-bad");
    const badCt = Buffer.concat([
      await encryptPart(bad, 1, pattern(S + 10)),
      await encryptPart(bad, 2, pattern(S + 10)),
    ]);
    await assert.rejects(decryptObject(bad, badCt), (err) => err instanceof DecryptError);
  });
});
