import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { authenticateRecord, openRecord, partSegmentsFromFirstRecord } from "../../src/crypto/openRecord.ts";
import { recordLength, recordSize } from "../../src/crypto/segmentMath.ts";
import { encryptObject, newKeys, pattern, throwsWith } from "./helpers.ts";

const E = 12;
const S = 2 ** E;
const R = recordSize(E);

void describe("open one record (random access)", async () => {
  const single = newKeys("single", E, "open-single");
  const pt = pattern(3 * S + 1);
  const ct = await encryptObject(single, [pt]);

  void it("opens every record of a single-part object at its position", () => {
    for (let g = 0; g < 4; g++) {
      const record = ct.subarray(g * R, g * R + recordLength(g, ct.length, E));
      const { header, plaintext } = openRecord({
        keys: single,
        record,
        index: g,
        ciphertextLength: ct.length,
      });
      assert.equal(header.index, g);
      assert.deepEqual(plaintext, pt.subarray(g * S, (g + 1) * S));
    }
  });

  void it("refuses a record at the wrong position, of the wrong length, or modified", () => {
    const record1 = ct.subarray(R, 2 * R);
    throwsWith(
      () => openRecord({ keys: single, record: record1, index: 2, ciphertextLength: ct.length }),
      "DecryptSegmentMisplaced",
    );
    throwsWith(
      () => openRecord({ keys: single, record: record1.subarray(1), index: 1, ciphertextLength: ct.length }),
      "DecryptTruncated",
    );
    throwsWith(
      () =>
        openRecord({
          keys: single,
          record: Buffer.concat([record1, Buffer.alloc(1)]),
          index: 1,
          ciphertextLength: ct.length,
        }),
      "DecryptTrailingData",
    );
    const bad = Buffer.from(record1);
    bad[20] = (bad[20] ?? 0) ^ 4;
    throwsWith(() => authenticateRecord(single, bad), "DecryptAuthFailed");
    throwsWith(() => authenticateRecord(single, Buffer.alloc(31)), "DecryptTruncated");
  });

  void it("reads K from a multipart object's first record", async () => {
    const multi = newKeys("multipart", E, "open-multi");
    const mct = await encryptObject(multi, [pattern(3 * S), pattern(3 * S), pattern(5)]);
    assert.equal(partSegmentsFromFirstRecord(multi, mct.subarray(0, R), mct.length), 3);
    const { header } = openRecord({
      keys: multi,
      record: mct.subarray(4 * R, 5 * R),
      index: 4,
      ciphertextLength: mct.length,
      partSegments: 3,
    });
    assert.deepEqual([header.part, header.index, header.count], [2, 1, 3]);
    throwsWith(
      () =>
        openRecord({
          keys: multi,
          record: mct.subarray(4 * R, 5 * R),
          index: 4,
          ciphertextLength: mct.length,
          partSegments: 2,
        }),
      "DecryptSegmentMisplaced",
    );
    // record 0 of a truncated object: part 1 claims more records than the object has
    throwsWith(() => partSegmentsFromFirstRecord(multi, mct.subarray(0, R), 2 * R), "DecryptTruncated");
    assert.throws(() => partSegmentsFromFirstRecord(single, ct.subarray(0, R), ct.length), TypeError);
  });
});
