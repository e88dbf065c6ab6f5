import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createEncryptStream } from "../../src/crypto/encryptStream.ts";
import { MAX_RECORDS_PER_PART } from "../../src/crypto/formatConstants.ts";
import { decodeRecordHeader } from "../../src/crypto/recordHeader.ts";
import { sealRecord } from "../../src/crypto/sealRecord.ts";
import { ciphertextLength, recordSize } from "../../src/crypto/segmentMath.ts";
import { encryptPart, newKeys, pattern, rejectsWith, seededRandom, throwsWith } from "./helpers.ts";

const S = 4096;
const R = recordSize(12);

void describe("encrypt stream", () => {
  const single = newKeys("single");
  const multi = newKeys("multipart");

  void it("produces exactly sealRecord() of each segment, with part, nonce, index and count in every header", async () => {
    const plaintext = pattern(2 * S + 100);
    const ct = await encryptPart(single, 0, plaintext, { seed: "n" });
    assert.equal(ct.length, ciphertextLength(plaintext.length, 12));
    const partNonce = Buffer.from(seededRandom("n")(8));
    const expected = Buffer.concat(
      [0, 1, 2].map((index) =>
        sealRecord(
          single,
          { part: 0, partNonce, index, count: 3 },
          plaintext.subarray(index * S, Math.min((index + 1) * S, plaintext.length)),
        ),
      ),
    );
    assert.deepEqual(ct, expected);
    for (let g = 0; g < 3; g++) {
      assert.deepEqual(decodeRecordHeader(ct.subarray(g * R, g * R + 16)), {
        part: 0,
        partNonce,
        index: g,
        count: 3,
      });
    }
  });

  void it("writes one empty final record for 0 bytes", async () => {
    const ct = await encryptPart(single, 0, Buffer.alloc(0));
    assert.equal(ct.length, 32);
    const header = decodeRecordHeader(ct.subarray(0, 16));
    assert.equal(header.index, 0);
    assert.equal(header.count, 1);
  });

  void it("does not depend on how the input is chunked", async () => {
    const plaintext = pattern(3 * S + 17, 3);
    const reference = await encryptPart(multi, 7, plaintext, { seed: "c" });
    for (const chunks of [[1], [15, 16, 17], [S - 1], [S], [S + 1], [3 * S], [7, 4093, 4096, 9000]]) {
      assert.deepEqual(
        await encryptPart(multi, 7, plaintext, { seed: "c", chunks }),
        reference,
        `chunks ${chunks.join(",")}`,
      );
    }
  });

  void it("draws a fresh part nonce per encryption, so re-uploading a part never reuses a key", async () => {
    const plaintext = pattern(100);
    const [a, b] = await Promise.all([
      encryptPart(multi, 1, plaintext, { seed: "first" }),
      encryptPart(multi, 1, plaintext, { seed: "second" }),
    ]);
    assert.notDeepEqual(a.subarray(2, 10), b.subarray(2, 10));
    assert.notDeepEqual(a.subarray(16), b.subarray(16));
  });

  void it("fails with LengthInvalid when the input is longer or shorter than declared", async () => {
    const stream = (n: number) => createEncryptStream({ keys: single, part: 0, plaintextLength: n });
    const run = async (declared: number, actual: number): Promise<void> => {
      const s = stream(declared);
      s.resume();
      s.end(Buffer.alloc(actual));
      await new Promise<void>((resolve, reject) => {
        s.on("error", reject);
        s.on("end", resolve);
      });
    };
    await rejectsWith(run(10, 11), "LengthInvalid");
    await rejectsWith(run(10, 9), "LengthInvalid");
    await rejectsWith(run(0, 1), "LengthInvalid");
    await run(10, 10);
  });

  void it("refuses part numbers that do not fit the layout, and parts with too many records", () => {
    const make =
      (keys: typeof single, part: number, plaintextLength = 1) =>
      () =>
        createEncryptStream({ keys, part, plaintextLength });
    throwsWith(make(single, 1), "PartNumberInvalid");
    throwsWith(make(multi, 0), "PartNumberInvalid");
    throwsWith(make(multi, 10_001), "PartNumberInvalid");
    throwsWith(make(multi, 1.5), "PartNumberInvalid");
    throwsWith(make(multi, 10_000, -1), "LengthInvalid");
    throwsWith(make(multi, 1, (MAX_RECORDS_PER_PART + 1) * S), "LengthInvalid");
    assert.ok(make(multi, 1, MAX_RECORDS_PER_PART * S)());
  });

  void it("applies backpressure instead of buffering when nobody reads", () => {
    const s = createEncryptStream({ keys: single, part: 0, plaintextLength: 64 * S });
    let writes = 0;
    while (s.write(Buffer.alloc(S)) && writes < 64) writes++;
    assert.ok(writes < 16, `write() kept accepting data (${writes} chunks) with no reader`);
    assert.ok(s.readableLength <= 2 * 16 * 1024 + R, `readable side holds ${s.readableLength} bytes`);
    s.destroy();
  });
});
