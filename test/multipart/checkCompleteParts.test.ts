/**
 * The CompleteMultipartUpload check (docs/FORMAT.md §9, §15): the client's list against the stored parts, then
 * the layout rules on their sizes, with the errors and messages a client sees.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ciphertextLength } from "../../src/crypto/index.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { checkCompleteParts } from "../../src/multipart/checkCompleteParts.ts";
import type { StoredPart } from "../../src/multipart/upstreamUploadXml.ts";

const MiB = 1024 * 1024;
const E = 16;

/** Stored parts 1..N of these plaintext sizes, ETag `e<n>`. */
function stored(plainSizes: number[]): Map<number, StoredPart> {
  return new Map(
    plainSizes.map((p, i) => [i + 1, { partNumber: i + 1, etag: `e${i + 1}`, size: ciphertextLength(p, E) }]),
  );
}
const all = (n: number) => Array.from({ length: n }, (_, i) => ({ partNumber: i + 1, etag: `e${i + 1}` }));

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProxyError, String(err));
    return { code: err.code, message: err.message };
  }
  assert.fail("expected a refusal");
}

describe("checkCompleteParts", () => {
  it("accepts the layouts real clients produce", () => {
    for (const sizes of [
      [8 * MiB, 8 * MiB, 8 * MiB, 8 * MiB, 8 * MiB, 8 * MiB, 2 * MiB], // aws s3 cp, 50 MiB
      [5 * MiB, 5 * MiB, 123_457], // lib-storage, rclone
      [5 * MiB, 5 * MiB], // equal last part
      [5 * MiB, 0], // empty last part
      [12_345], // a single part of any size
      [0],
    ]) {
      const geometry = checkCompleteParts(all(sizes.length), stored(sizes), E);
      assert.equal(geometry.partCount, sizes.length);
      assert.equal(
        geometry.plaintextLength,
        sizes.reduce((a, b) => a + b, 0),
      );
      assert.equal(geometry.partSegments, Math.max(1, Math.ceil((sizes[0] ?? 0) / 65536)));
    }
  });

  it("refuses layouts that break the rules, naming the part and sizes", () => {
    const cases: [number[], ReturnType<typeof all>, RegExp][] = [
      [[5 * MiB + 1000, MiB], all(2), /part 1 has 5243880 bytes, not a positive multiple of 65536/],
      [[0, 0], all(2), /part 1 has 0 bytes, not a positive multiple of 65536/],
      [[5 * MiB, 6 * MiB, MiB], all(3), /part 2 has 6291456 bytes, part 1 has 5242880/],
      [[5 * MiB, 5 * MiB + 1], all(2), /the last part \(2\) has 5242881 bytes, more than part 1's 5242880/],
      [
        [5 * MiB, 5 * MiB, MiB],
        [
          { partNumber: 1, etag: "e1" },
          { partNumber: 3, etag: "e3" },
        ],
        /no part 2/,
      ],
      [[5 * MiB, MiB], [{ partNumber: 2, etag: "e2" }], /no part 1/],
    ];
    for (const [sizes, list, message] of cases) {
      const r = refusal(() => checkCompleteParts(list, stored(sizes), E));
      assert.equal(r.code, "ProxyMultipartLayoutInvalid", `${sizes.join(",")}: ${r.message}`);
      assert.match(r.message, message);
      assert.match(r.message, /parts 1\.\.N-1 must all have the same size, a multiple of 65536 bytes/);
    }
  });

  it("refuses a list out of order, parts never uploaded and malformed ETags", () => {
    const parts = stored([5 * MiB, 5 * MiB, MiB]);
    assert.equal(
      refusal(() =>
        checkCompleteParts(
          [
            { partNumber: 2, etag: "e2" },
            { partNumber: 1, etag: "e1" },
          ],
          parts,
          E,
        ),
      ).code,
      "InvalidPartOrder",
    );
    assert.equal(
      refusal(() =>
        checkCompleteParts(
          [
            { partNumber: 1, etag: "e1" },
            { partNumber: 1, etag: "e1" },
          ],
          parts,
          E,
        ),
      ).code,
      "InvalidPartOrder",
    );
    const never = refusal(() => checkCompleteParts(all(4), parts, E));
    assert.equal(never.code, "InvalidPart");
    assert.match(never.message, /Part 4 could not be found/);
    for (const etag of [
      "e9",
      "0",
      "",
      "5d41402abc4b2a76b9719d911017c592-1",
      "5d41402abc4b2a76b9719d911017c59",
    ]) {
      const r = refusal(() => checkCompleteParts([{ partNumber: 1, etag }, ...all(3).slice(1)], parts, E));
      assert.equal(r.code, "InvalidPart", etag);
      assert.match(r.message, /ETag of part 1 is neither/);
    }
  });

  it("accepts per part the plaintext MD5 UploadPart answered or the stored ETag ListParts shows", () => {
    const parts = stored([5 * MiB, 5 * MiB, MiB]);
    const list = [
      { partNumber: 1, etag: "5d41402abc4b2a76b9719d911017c592" },
      { partNumber: 2, etag: "e2" },
      { partNumber: 3, etag: "7D793037A0760186574B0282F2F435E7" },
    ];
    assert.equal(checkCompleteParts(list, parts, E).partCount, 3);
  });

  it("refuses stored sizes no encrypted part can have", () => {
    const parts = new Map([[1, { partNumber: 1, etag: "e1", size: 31 }]]);
    assert.equal(refusal(() => checkCompleteParts(all(1), parts, E)).code, "InvalidPart");
  });
});
