/**
 * Fixed vectors for every checksum S3 accepts and this proxy computes, plus property tests: incremental updates
 * in any split equal one-shot digests, and the table-driven CRCs equal a slow bit-by-bit reference written
 * straight from the CRC parameters (poly, init, reflection, xorout).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  checksumFromHeaderName,
  checksumOf,
  createDigester,
  decodeBase64Digest,
  type ChecksumAlgorithm,
} from "../../src/s3body/checksums.ts";
import { Crc32, CRC32_POLY, CRC32C_POLY } from "../../src/s3body/crc32.ts";
import { Crc64Nvme } from "../../src/s3body/crc64nvme.ts";
import { split } from "./helpers.ts";

const hex = (alg: ChecksumAlgorithm, data: Buffer): string =>
  Buffer.from(checksumOf(alg, data), "base64").toString("hex");

/** Reflected CRC, bit by bit, in BigInt: the definition, not an optimisation of it. */
function referenceCrc(width: number, reflectedPoly: bigint, data: Uint8Array): bigint {
  const mask = (1n << BigInt(width)) - 1n;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ reflectedPoly : crc >> 1n;
  }
  return crc ^ mask;
}

const runs = { seed: 20261126, numRuns: 200 };

void describe("checksums: check values over ASCII 123456789 (CRC RevEng catalogue, FIPS digests)", () => {
  const nine = Buffer.from("123456789");
  const expected: [ChecksumAlgorithm, string][] = [
    ["CRC32", "cbf43926"],
    ["CRC32C", "e3069283"],
    ["CRC64NVME", "ae8b14860a799888"],
    ["MD5", "25f9e794323b453885f5181f1b624d0b"],
    ["SHA1", "f7c3bc1d808e04732adf679965ccc34ca7ae3441"],
    ["SHA256", "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"],
    [
      "SHA512",
      "d9e6762dd1c8eaf6d61b3c6192fc408d4d6d5f1176d0c29169bc24e71c3f274ad27fcd5811b313d681f7e55ec02d73d499c95455b6b5bb503acf574fba8ffe85",
    ],
  ];
  for (const [alg, value] of expected) {
    void it(`${alg}`, () => assert.equal(hex(alg, nine), value));
  }

  void it("CRC32 is the big-endian value in base64, as S3 sends it", () => {
    assert.equal(checksumOf("CRC32", nine), Buffer.from("cbf43926", "hex").toString("base64"));
    assert.equal(checksumOf("CRC32", nine), "y/Q5Jg==");
  });

  void it("the empty input", () => {
    assert.equal(hex("CRC32", Buffer.alloc(0)), "00000000");
    assert.equal(hex("CRC32C", Buffer.alloc(0)), "00000000");
    assert.equal(hex("CRC64NVME", Buffer.alloc(0)), "0000000000000000");
  });
});

void describe("checksums: published vectors", () => {
  void it("CRC32C: RFC 3720 §B.4 (iSCSI) 32-byte vectors", () => {
    assert.equal(hex("CRC32C", Buffer.alloc(32, 0x00)), "8a9136aa");
    assert.equal(hex("CRC32C", Buffer.alloc(32, 0xff)), "62a8ab43");
    assert.equal(hex("CRC32C", Buffer.from(Array.from({ length: 32 }, (_, i) => i))), "46dd794e");
    assert.equal(hex("CRC32C", Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i))), "113fdb5c");
  });

  void it("CRC32C: the S3 trailing-checksum example (66,560 bytes of 'a' → sOO8/Q==)", () => {
    assert.equal(checksumOf("CRC32C", Buffer.alloc(66560, "a")), "sOO8/Q==");
  });
});

void describe("checksums: properties", () => {
  const algorithms: ChecksumAlgorithm[] = ["CRC32", "CRC32C", "CRC64NVME", "MD5", "SHA1", "SHA256", "SHA512"];

  void it("any split of the input gives the one-shot digest", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...algorithms),
        (data, sizes, alg) => {
          const d = createDigester(alg);
          for (const piece of split(Buffer.from(data), sizes)) d.update(piece);
          assert.equal(d.digest().toString("base64"), checksumOf(alg, data));
        },
      ),
      runs,
    );
  });

  void it("table CRC-32C and CRC-64/NVME equal the bitwise definition", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (data) => {
        const c = new Crc32(CRC32C_POLY);
        c.update(data);
        assert.equal(BigInt(c.value32()), referenceCrc(32, 0x82f63b78n, data));
        const n = new Crc64Nvme();
        n.update(data);
        assert.equal(n.digest().readBigUInt64BE(), referenceCrc(64, 0x9a6c9329ac4bc9b5n, data));
      }),
      runs,
    );
  });

  void it("table CRC-32 equals zlib's native CRC-32", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const table = new Crc32(CRC32_POLY, false);
        table.update(data);
        const native = new Crc32(CRC32_POLY);
        native.update(data);
        assert.equal(table.value32(), native.value32());
        assert.equal(BigInt(table.value32()), referenceCrc(32, 0xedb88320n, data));
      }),
      runs,
    );
  });
});

void describe("checksums: header names and base64", () => {
  void it("classifies x-amz-checksum-* names", () => {
    assert.equal(checksumFromHeaderName("x-amz-checksum-crc64nvme"), "CRC64NVME");
    assert.equal(checksumFromHeaderName("x-amz-checksum-sha256"), "SHA256");
    assert.deepEqual(checksumFromHeaderName("x-amz-checksum-xxhash3"), { unsupported: "XXHASH3" });
    assert.equal(checksumFromHeaderName("x-amz-checksum-algorithm"), undefined);
    assert.equal(checksumFromHeaderName("x-amz-checksum-type"), undefined);
    assert.equal(checksumFromHeaderName("x-amz-checksum-mode"), undefined);
    assert.equal(checksumFromHeaderName("content-md5"), undefined);
  });

  void it("accepts only padded standard base64 of the exact digest size", () => {
    assert.ok(decodeBase64Digest("y/Q5Jg==", 4));
    assert.equal(decodeBase64Digest("y/Q5Jg", 4), undefined);
    assert.equal(decodeBase64Digest("y_Q5Jg==", 4), undefined);
    assert.equal(decodeBase64Digest(" y/Q5Jg==", 4), undefined);
    assert.equal(decodeBase64Digest("y/Q5Jg==", 8), undefined);
    assert.equal(decodeBase64Digest("", 0)?.length, 0);
  });
});
