/**
 * ChecksumVerifier: every claim kind verified and refused with S3's code, the length check, and the ordering
 * guarantee that the last chunk is only released after verification (so nothing downstream completes first).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { ChecksumVerifier } from "../../src/s3body/ChecksumVerifier.ts";
import { CHECKSUM_ALGORITHMS, checksumOf, type ChecksumAlgorithm } from "../../src/s3body/checksums.ts";
import { assertCode, run, split } from "./helpers.ts";

const body = Buffer.from("The quick brown fox jumps over the lazy dog");
const other = Buffer.from("The quick brown fox jumps over the lazy cog");
const md5 = (b: Buffer): string => createHash("md5").update(b).digest("base64");
const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
const verify = (v: ChecksumVerifier, input = body, sizes = [7]) => run([v], split(input, sizes));

void describe("ChecksumVerifier: claims that hold", () => {
  void it("passes the body through unchanged and exposes the digests", async () => {
    const v = new ChecksumVerifier({
      contentMd5: md5(body),
      sha256Hex: sha256(body).toUpperCase(),
      checksum: { algorithm: "CRC64NVME", expected: checksumOf("CRC64NVME", body) },
      length: body.length,
      compute: ["CRC32"],
    });
    const r = await verify(v, body, [1]);
    assert.equal(r.error, undefined);
    assert.ok(r.ended);
    assert.ok(r.output.equals(body));
    assert.equal(v.byteCount, body.length);
    assert.equal(v.digests.get("CRC32")?.toString("base64"), checksumOf("CRC32", body));
    assert.equal(v.digests.get("MD5")?.toString("base64"), md5(body));
  });

  void it("with no claims, is a plain pass-through", async () => {
    const r = await verify(new ChecksumVerifier());
    assert.equal(r.error, undefined);
    assert.ok(r.output.equals(body));
  });

  void it("verifies an empty body", async () => {
    const empty = Buffer.alloc(0);
    const v = new ChecksumVerifier({ contentMd5: md5(empty), sha256Hex: sha256(empty), length: 0 });
    const r = await run([v], []);
    assert.equal(r.error, undefined);
    assert.ok(r.ended);
  });

  void it("reads a trailer claim only at the end", async () => {
    let asked = 0;
    const v = new ChecksumVerifier({
      checksum: {
        algorithm: "SHA1",
        expected: () => {
          asked += 1;
          return checksumOf("SHA1", body);
        },
      },
    });
    const r = await verify(v);
    assert.equal(r.error, undefined);
    assert.equal(asked, 1);
  });
});

void describe("ChecksumVerifier: claims that fail", () => {
  void it("a wrong Content-MD5 → BadDigest", async () => {
    const r = await verify(new ChecksumVerifier({ contentMd5: md5(other) }));
    assertCode(r.error, "BadDigest");
    assert.equal(r.ended, false);
  });

  void it("a wrong x-amz-content-sha256 → XAmzContentSHA256Mismatch", async () => {
    const r = await verify(new ChecksumVerifier({ sha256Hex: sha256(other) }));
    assertCode(r.error, "XAmzContentSHA256Mismatch");
  });

  for (const alg of Object.keys(CHECKSUM_ALGORITHMS) as ChecksumAlgorithm[]) {
    void it(`a wrong ${alg} checksum → BadDigest; the right one passes`, async () => {
      const bad = await verify(
        new ChecksumVerifier({ checksum: { algorithm: alg, expected: checksumOf(alg, other) } }),
      );
      assertCode(bad.error, "BadDigest");
      const good = await verify(
        new ChecksumVerifier({ checksum: { algorithm: alg, expected: checksumOf(alg, body) } }),
      );
      assert.equal(good.error, undefined);
    });
  }

  void it("a missing or malformed trailer value → InvalidRequest", async () => {
    const missing = await verify(
      new ChecksumVerifier({ checksum: { algorithm: "CRC32", expected: () => undefined } }),
    );
    assertCode(missing.error, "InvalidRequest");
    const malformed = await verify(
      new ChecksumVerifier({ checksum: { algorithm: "CRC32", expected: () => "AAAA" } }),
    );
    assertCode(malformed.error, "InvalidRequest");
  });

  void it("fewer or more bytes than declared → IncompleteBody", async () => {
    assertCode((await verify(new ChecksumVerifier({ length: body.length + 1 }))).error, "IncompleteBody");
    assertCode((await verify(new ChecksumVerifier({ length: body.length - 1 }))).error, "IncompleteBody");
  });
});

void describe("ChecksumVerifier: nothing downstream sees the whole body before it is verified", () => {
  void it("holds back the last chunk until the end, then releases it only if every claim holds", async () => {
    const pieces = split(body, [10]);
    for (const good of [true, false]) {
      const v = new ChecksumVerifier({ contentMd5: md5(good ? body : other) });
      const seen: Buffer[] = [];
      let ended = false;
      let failed: unknown;
      v.on("data", (b: Buffer) => seen.push(b));
      v.on("end", () => (ended = true));
      v.on("error", (e) => (failed = e));
      for (const p of pieces) v.write(p);
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(Buffer.concat(seen).length, body.length - (pieces.at(-1)?.length ?? 0));
      v.end();
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (good) {
        assert.ok(Buffer.concat(seen).equals(body));
        assert.ok(ended);
      } else {
        assert.ok(Buffer.concat(seen).length < body.length);
        assert.equal(ended, false);
        assertCode(failed, "BadDigest");
      }
    }
  });
});
