/**
 * AwsChunkedDecoder: the AWS documentation's signed examples under every chunking, tampering of data,
 * signatures and trailers, every malformed-framing case, truncation at every byte, and the memory bound.
 */
import assert from "node:assert/strict";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, it } from "node:test";
import { AwsChunkedDecoder, type AwsChunkedDecoderOptions } from "../../src/s3body/AwsChunkedDecoder.ts";
import { checksumOf } from "../../src/s3body/checksums.ts";
import { ChunkSignatureChain, deriveSigningKey } from "../../src/s3body/chunkSignatures.ts";
import { assertCode, AWS_DOC, docBody, encodeAwsChunked, run, split } from "./helpers.ts";

const key = deriveSigningKey(AWS_DOC.secret, "20130524", "us-east-1", "s3");
const chainFor = (seed: string): ChunkSignatureChain =>
  new ChunkSignatureChain(key, { timestamp: AWS_DOC.timestamp, scope: AWS_DOC.scope, seedSignature: seed });

const signedDoc = (withKey = true): AwsChunkedDecoder =>
  new AwsChunkedDecoder({
    decodedLength: 66560,
    signedChunks: true,
    chain: withKey ? chainFor(AWS_DOC.chunked.seed) : undefined,
  });
const trailerDoc = (withKey = true): AwsChunkedDecoder =>
  new AwsChunkedDecoder({
    decodedLength: 66560,
    signedChunks: true,
    trailer: { name: "x-amz-checksum-crc32c", signed: true },
    chain: withKey ? chainFor(AWS_DOC.trailer.seed) : undefined,
  });

const CHUNKINGS: number[][] = [[1], [2, 3], [7], [85, 3], [4096], [65535], [65537, 1], [1 << 20]];

void describe("AwsChunkedDecoder: AWS documentation examples", () => {
  void it("decodes and verifies the signed example under every chunking, one byte at a time included", async () => {
    for (const sizes of CHUNKINGS) {
      const d = signedDoc();
      const r = await run([d], split(docBody("chunked"), sizes));
      assert.equal(r.error, undefined, `chunking ${sizes.join(",")}`);
      assert.ok(r.output.equals(AWS_DOC.data));
      assert.equal(d.signatures, "verified");
      assert.equal(d.decodedBytes, 66560);
      assert.equal(d.trailers.size, 0);
    }
  });

  void it("the documented Content-Length is the encoded size", () => {
    assert.equal(docBody("chunked").length, Number(AWS_DOC.chunked.headers["Content-Length"]));
  });

  void it("decodes the signed-trailer example and verifies chunk and trailer signatures", async () => {
    for (const sizes of [[1], [13], [1 << 20]]) {
      const d = trailerDoc();
      const r = await run([d], split(docBody("trailer"), sizes));
      assert.equal(r.error, undefined);
      assert.ok(r.output.equals(AWS_DOC.data));
      assert.equal(d.signatures, "verified");
      assert.deepEqual(
        [...d.trailers],
        [
          ["x-amz-checksum-crc32c", "sOO8/Q=="],
          ["x-amz-trailer-signature", AWS_DOC.trailer.trailerSignature],
        ],
      );
    }
  });

  void it("without a signing key, decodes but reports the signatures unverified", async () => {
    const a = signedDoc(false);
    const ra = await run([a], [docBody("chunked")]);
    assert.equal(ra.error, undefined);
    assert.equal(a.signatures, "unverified");
    const b = trailerDoc(false);
    const rb = await run([b], [docBody("trailer")]);
    assert.equal(rb.error, undefined);
    assert.equal(b.signatures, "unverified");
  });

  void it("a wrong seed breaks the whole chain", async () => {
    const d = new AwsChunkedDecoder({
      decodedLength: 66560,
      signedChunks: true,
      chain: chainFor(AWS_DOC.trailer.seed),
    });
    const r = await run([d], [docBody("chunked")]);
    assertCode(r.error, "SignatureDoesNotMatch");
    assert.equal(r.ended, false);
  });
});

void describe("AwsChunkedDecoder: tampering", () => {
  const body = docBody("chunked");
  const dataOffsets = [88, 88 + 65535, 88 + 65536 + 2 + 86, body.length - 84 - 2 - 3];

  void it("a flipped data byte in any chunk fails with SignatureDoesNotMatch, and the stream never ends", async () => {
    for (const at of dataOffsets) {
      const bad = Buffer.from(body);
      bad[at] = (bad[at] ?? 0) ^ 0x01;
      const r = await run([signedDoc()], split(bad, [4096]));
      assertCode(r.error, "SignatureDoesNotMatch");
      assert.equal(r.ended, false);
    }
  });

  void it("a changed hex digit in any chunk signature fails", async () => {
    for (const sig of AWS_DOC.chunked.chunks) {
      const at = body.indexOf(sig) + 10;
      const bad = Buffer.from(body);
      bad[at] = bad[at] === 0x30 ? 0x31 : 0x30;
      const r = await run([signedDoc()], [bad]);
      assertCode(r.error, "SignatureDoesNotMatch");
    }
  });

  void it("a changed trailer checksum or trailer signature fails", async () => {
    const good = docBody("trailer");
    const changedValue = Buffer.from(good.toString("latin1").replace("sOO8/Q==", "AAAAAA=="), "latin1");
    assertCode((await run([trailerDoc()], [changedValue])).error, "SignatureDoesNotMatch");
    const changedSig = Buffer.from(
      good.toString("latin1").replace("trailer-signature:d81f", "trailer-signature:d82f"),
      "latin1",
    );
    assertCode((await run([trailerDoc()], [changedSig])).error, "SignatureDoesNotMatch");
  });
});

/** A small unsigned-with-trailer body: 5 + 3 bytes, CRC32 trailer. */
const crc = checksumOf("CRC32", Buffer.from("hello!!!"));
const GOOD = `5\r\nhello\r\n3\r\n!!!\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`;
const unsignedOpts = (over: Partial<AwsChunkedDecoderOptions> = {}): AwsChunkedDecoderOptions => ({
  decodedLength: 8,
  signedChunks: false,
  trailer: { name: "x-amz-checksum-crc32", signed: false },
  ...over,
});

async function decodeText(text: string, over: Partial<AwsChunkedDecoderOptions> = {}, sizes = [1 << 20]) {
  const d = new AwsChunkedDecoder(unsignedOpts(over));
  const r = await run([d], split(Buffer.from(text, "latin1"), sizes));
  return { ...r, decoder: d };
}

void describe("AwsChunkedDecoder: unsigned chunks with a trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER)", () => {
  void it("decodes the reference body under any chunking and exposes the trailer", async () => {
    for (const sizes of [[1], [2], [3, 1], [1 << 20]]) {
      const r = await decodeText(GOOD, {}, sizes);
      assert.equal(r.error, undefined);
      assert.equal(r.output.toString(), "hello!!!");
      assert.equal(r.decoder.trailers.get("x-amz-checksum-crc32"), crc);
      assert.equal(r.decoder.signatures, "unsigned");
    }
  });

  void it("accepts uppercase and zero-padded hex sizes and whitespace around trailer values", async () => {
    const text = `0005\r\nhello\r\n3\r\n!!!\r\n0\r\nx-amz-checksum-crc32: ${crc}\t\r\n\r\n`;
    assert.equal((await decodeText(text)).error, undefined);
    const upper = `A\r\nhello!!!!!\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`;
    assert.equal((await decodeText(upper, { decodedLength: 10 })).error, undefined);
  });

  void it("decodes an empty object (the 0-byte chunk straight away)", async () => {
    const r = await decodeText(`0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`, { decodedLength: 0 });
    assert.equal(r.error, undefined);
    assert.equal(r.output.length, 0);
  });

  const malformed: [string, string, "InvalidRequest" | "IncompleteBody"][] = [
    ["non-hex size", GOOD.replace("5\r\n", "g\r\n"), "InvalidRequest"],
    ["empty size line", GOOD.replace("5\r\n", "\r\n"), "InvalidRequest"],
    ["space before the size", GOOD.replace("5\r\n", " 5\r\n"), "InvalidRequest"],
    ["space after the size", GOOD.replace("5\r\n", "5 \r\n"), "InvalidRequest"],
    ["17 hex digits", GOOD.replace("5\r\n", "00000000000000005\r\n"), "InvalidRequest"],
    [
      "a signature in unsigned mode",
      GOOD.replace("5\r\n", `5;chunk-signature=${"0".repeat(64)}\r\n`),
      "InvalidRequest",
    ],
    ["a chunk extension", GOOD.replace("5\r\n", "5;foo=bar\r\n"), "InvalidRequest"],
    ["LF without CR after the size", GOOD.replace("5\r\n", "5\n"), "InvalidRequest"],
    ["bare CR in the size line", GOOD.replace("5\r\n", "5\r5\r\n"), "InvalidRequest"],
    ["data longer than its size", GOOD.replace("hello", "hellox"), "InvalidRequest"],
    ["data shorter than its size", GOOD.replace("hello", "hell"), "InvalidRequest"],
    ["no CRLF after data", GOOD.replace("hello\r\n", "hello"), "InvalidRequest"],
    ["LF only after data", GOOD.replace("hello\r\n", "hello\n"), "InvalidRequest"],
    ["CR only after data", GOOD.replace("hello\r\n", "hello\r"), "InvalidRequest"],
    ["more data than declared", GOOD.replace("3\r\n!!!", "4\r\n!!!!"), "InvalidRequest"],
    ["less data than declared", GOOD.replace("3\r\n!!!\r\n", ""), "IncompleteBody"],
    ["trailer without colon", GOOD.replace(`crc32:${crc}`, `crc32 ${crc}`), "InvalidRequest"],
    [
      "trailer with a space in its name",
      GOOD.replace("x-amz-checksum-crc32:", "x-amz-checksum crc32:"),
      "InvalidRequest",
    ],
    ["trailer not ending in CRLF", GOOD.replace(`${crc}\r\n`, `${crc}\n`), "InvalidRequest"],
    ["unannounced trailer", GOOD.replace("x-amz-checksum-crc32:", "x-amz-checksum-sha1:"), "InvalidRequest"],
    [
      "repeated trailer",
      GOOD.replace("\r\n\r\n", `\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`),
      "InvalidRequest",
    ],
    [
      "trailer signature in an unsigned mode",
      GOOD.replace("\r\n\r\n", `\r\nx-amz-trailer-signature:${"0".repeat(64)}\r\n\r\n`),
      "InvalidRequest",
    ],
    ["announced trailer missing", "5\r\nhello\r\n3\r\n!!!\r\n0\r\n\r\n", "InvalidRequest"],
    ["bytes after the final CRLF", `${GOOD}x`, "InvalidRequest"],
    ["a second body after the final CRLF", `${GOOD}${GOOD}`, "InvalidRequest"],
    ["no final chunk", "5\r\nhello\r\n3\r\n!!!\r\n", "IncompleteBody"],
    ["no final CRLF", GOOD.slice(0, -2), "IncompleteBody"],
    ["empty body", "", "IncompleteBody"],
  ];
  for (const [what, text, code] of malformed) {
    void it(`rejects ${what} (${code}), also when fed byte by byte`, async () => {
      for (const sizes of [[1 << 20], [1]]) {
        const r = await decodeText(text, {}, sizes);
        assertCode(r.error, code, `${what}: ${String(r.error)}`);
        assert.equal(r.ended, false);
      }
    });
  }

  void it("a trailer in a mode without trailers", async () => {
    const text = `5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${checksumOf("CRC32", Buffer.from("hello"))}\r\n\r\n`;
    assertCode((await decodeText(text, { decodedLength: 5, trailer: undefined })).error, "InvalidRequest");
    assert.equal(
      (await decodeText("5\r\nhello\r\n0\r\n\r\n", { decodedLength: 5, trailer: undefined })).error,
      undefined,
    );
  });

  void it("truncated at every byte: never succeeds, always IncompleteBody", async () => {
    for (let cut = 0; cut < GOOD.length; cut++) {
      const r = await decodeText(GOOD.slice(0, cut));
      assertCode(r.error, "IncompleteBody", `cut at ${cut}`);
    }
  });

  void it("truncating the signed documentation example anywhere fails", async () => {
    const body = docBody("trailer");
    for (const cut of [
      0,
      1,
      87,
      88,
      89,
      65624,
      65625,
      65626,
      body.length - 3,
      body.length - 2,
      body.length - 1,
    ]) {
      const r = await run([trailerDoc()], [body.subarray(0, cut)]);
      assert.ok(r.error, `cut at ${cut}`);
      assert.equal(r.ended, false);
    }
  });
});

void describe("AwsChunkedDecoder: signed framing", () => {
  const signed = (text: string, trailer?: AwsChunkedDecoderOptions["trailer"]) =>
    run([new AwsChunkedDecoder({ decodedLength: 5, signedChunks: true, trailer })], [Buffer.from(text)]);
  const sig = "a".repeat(64);

  void it("requires a 64-hex chunk-signature on every chunk header", async () => {
    assert.equal(
      (await signed(`5;chunk-signature=${sig}\r\nhello\r\n0;chunk-signature=${sig}\r\n\r\n`)).error,
      undefined,
    );
    for (const bad of [
      `5\r\nhello\r\n0;chunk-signature=${sig}\r\n\r\n`,
      `5;chunk-signature=${sig}\r\nhello\r\n0\r\n\r\n`,
      `5;chunk-signature=${sig.slice(1)}\r\nhello\r\n0;chunk-signature=${sig}\r\n\r\n`,
      `5;chunk-signature=${sig}0\r\nhello\r\n0;chunk-signature=${sig}\r\n\r\n`,
      `5;chunk-signature=${"g".repeat(64)}\r\nhello\r\n0;chunk-signature=${sig}\r\n\r\n`,
      `5; chunk-signature=${sig}\r\nhello\r\n0;chunk-signature=${sig}\r\n\r\n`,
      `5;chunk-signature =${sig}\r\nhello\r\n0;chunk-signature=${sig}\r\n\r\n`,
    ]) {
      assertCode((await signed(bad)).error, "InvalidRequest", bad);
    }
  });

  void it("a signed trailer must carry x-amz-trailer-signature", async () => {
    const t = { name: "x-amz-checksum-crc32", signed: true };
    const head = `5;chunk-signature=${sig}\r\nhello\r\n0;chunk-signature=${sig}\r\nx-amz-checksum-crc32:AAAAAA==\r\n`;
    assert.equal((await signed(`${head}x-amz-trailer-signature:${sig}\r\n\r\n`, t)).error, undefined);
    assertCode((await signed(`${head}\r\n`, t)).error, "InvalidRequest");
    assertCode((await signed(`${head}x-amz-trailer-signature:abc\r\n\r\n`, t)).error, "InvalidRequest");
  });
});

void describe("AwsChunkedDecoder: limits and memory", () => {
  void it("refuses an over-long chunk header without buffering it", async () => {
    const r = await decodeText(`${"0".repeat(300)}5\r\nhello\r\n`, {}, [1]);
    assertCode(r.error, "InvalidRequest");
    const noLf = await decodeText("5".repeat(1 << 20), {}, [4096]);
    assertCode(noLf.error, "InvalidRequest");
  });

  void it("applies configurable limits on header length and trailer count and length", async () => {
    const limits = { maxChunkHeaderLength: 1 };
    assert.equal((await decodeText(GOOD, { limits })).error, undefined);
    assertCode((await decodeText(GOOD.replace("5\r\n", "05\r\n"), { limits })).error, "InvalidRequest");
    assertCode((await decodeText(GOOD, { limits: { maxTrailers: 0 } })).error, "InvalidRequest");
    assertCode((await decodeText(GOOD, { limits: { maxTrailerLineLength: 20 } })).error, "InvalidRequest");
    const longValue = GOOD.replace(crc, `${crc}${"A".repeat(600)}`);
    assertCode((await decodeText(longValue)).error, "InvalidRequest");
  });

  void it("respects backpressure: a slow consumer bounds what the decoder buffers", async () => {
    const plaintext = Buffer.alloc(4 << 20, 0x61);
    const body = encodeAwsChunked(plaintext, [1 << 20]);
    const d = new AwsChunkedDecoder(unsignedOpts({ decodedLength: plaintext.length, trailer: undefined }));
    let maxBuffered = 0;
    let received = 0;
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        maxBuffered = Math.max(maxBuffered, d.readableLength + d.writableLength);
        setImmediate(cb);
      },
    });
    await pipeline(Readable.from(split(body, [16384])), d, slow);
    assert.equal(received, plaintext.length);
    assert.ok(maxBuffered <= 4 * 16384, `decoder buffered ${maxBuffered} bytes`);
  });

  void it("passes chunk data through as it arrives, before the chunk is complete", () => {
    const d = new AwsChunkedDecoder(unsignedOpts({ decodedLength: 1 << 20, trailer: undefined }));
    d.write(Buffer.from(`100000\r\n`));
    d.write(Buffer.alloc(1000, 1));
    const first = d.read() as Buffer | null;
    assert.equal(first?.length, 1000);
    d.destroy();
  });
});
