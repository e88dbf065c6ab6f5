import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseClientHello } from "../../src/net/clientHello.ts";
import { captureClientHello } from "../helpers/captureClientHello.ts";

/** Re-frames one handshake message into TLS records of at most `size` bytes of payload each. */
function fragment(record: Buffer, size: number): Buffer {
  const payload = record.subarray(5);
  const out: Buffer[] = [];
  for (let i = 0; i < payload.length; i += size) {
    const part = payload.subarray(i, i + size);
    const header = Buffer.from([0x16, record[1] ?? 3, record[2] ?? 1, 0, 0]);
    header.writeUInt16BE(part.length, 3);
    out.push(header, part);
  }
  return Buffer.concat(out);
}

describe("parseClientHello", () => {
  it("reads the SNI of a real ClientHello and asks for more when it is incomplete", async () => {
    const hello = await captureClientHello("bucket.s3.us-east-1.amazonaws.com");
    assert.deepEqual(parseClientHello(hello), {
      kind: "hello",
      serverName: "bucket.s3.us-east-1.amazonaws.com",
    });
    for (const cut of [1, 4, 5, 40, hello.length - 1]) {
      assert.deepEqual(parseClientHello(hello.subarray(0, cut)), { kind: "need-more" }, `cut at ${cut}`);
    }
  });

  it("handles a ClientHello fragmented over many records", async () => {
    const hello = await captureClientHello("b.s3.amazonaws.com");
    const split = fragment(hello, 7);
    assert.deepEqual(parseClientHello(split), { kind: "hello", serverName: "b.s3.amazonaws.com" });
    assert.deepEqual(parseClientHello(split.subarray(0, split.length - 3)), { kind: "need-more" });
  });

  it("reports a ClientHello without SNI", async () => {
    const hello = await captureClientHello(undefined);
    assert.deepEqual(parseClientHello(hello), { kind: "hello", serverName: undefined });
  });

  it("recognises plain HTTP and rejects non-ClientHello handshakes", () => {
    assert.deepEqual(parseClientHello(Buffer.from("GET / HTTP/1.1\r\n")), { kind: "not-tls" });
    const serverHello = Buffer.from([0x16, 3, 3, 0, 4, 0x02, 0, 0, 0]);
    assert.equal(parseClientHello(serverHello).kind, "invalid");
    const huge = Buffer.from([0x16, 3, 1, 0, 4, 0x01, 0xff, 0xff, 0xff]);
    assert.equal(parseClientHello(huge).kind, "invalid");
  });

  it("never throws on arbitrary or corrupted input", async () => {
    const hello = await captureClientHello("x.s3.amazonaws.com");
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        parseClientHello(Buffer.concat([Buffer.from([0x16, 3, 1]), Buffer.from(bytes)]));
      }),
      { seed: 42, numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.nat(hello.length - 1), fc.integer({ min: 0, max: 255 }), (pos, value) => {
        const copy = Buffer.from(hello);
        copy[pos] = value;
        parseClientHello(copy);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });
});
