import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeRecordHeader,
  encodeRecordHeader,
  recordAad,
  recordNonce,
} from "../../src/crypto/recordHeader.ts";

void describe("record header", () => {
  const partNonce = Buffer.from("0011223344556677", "hex");

  void it("encodes part, part nonce, index and count big-endian in 16 bytes", () => {
    const bytes = encodeRecordHeader({ part: 10_000, partNonce, index: 0x0a0b0c, count: 0xffffff });
    assert.equal(bytes.toString("hex"), "2710" + "0011223344556677" + "0a0b0c" + "ffffff");
    assert.deepEqual(decodeRecordHeader(bytes), {
      part: 10_000,
      partNonce,
      index: 0x0a0b0c,
      count: 0xffffff,
    });
  });

  void it("refuses to encode fields outside the format", () => {
    assert.throws(() => encodeRecordHeader({ part: 10_001, partNonce, index: 0, count: 1 }), RangeError);
    assert.throws(() => encodeRecordHeader({ part: 0, partNonce, index: 1, count: 1 }), RangeError);
    assert.throws(() => encodeRecordHeader({ part: 0, partNonce, index: 0, count: 0 }), RangeError);
    assert.throws(() => encodeRecordHeader({ part: 0, partNonce, index: 0, count: 2 ** 24 }), RangeError);
    assert.throws(
      () => encodeRecordHeader({ part: 0, partNonce: Buffer.alloc(7), index: 0, count: 1 }),
      RangeError,
    );
    assert.throws(() => decodeRecordHeader(Buffer.alloc(15)), RangeError);
  });

  void it("nonce is the index as a 96-bit big-endian integer; AAD is envelope header || record header", () => {
    assert.equal(recordNonce(0).toString("hex"), "000000000000000000000000");
    assert.equal(recordNonce(0xabcdef).toString("hex"), "000000000000000000abcdef");
    assert.equal(recordAad(Buffer.from([1, 2]), Buffer.from([3])).toString("hex"), "010203");
  });
});
