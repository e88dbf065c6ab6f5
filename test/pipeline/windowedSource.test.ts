/**
 * The assembled ciphertext stream: pieces in order, only the window's bytes, lazily opened tails, pieces that
 * are not needed let go, short pieces an error, and nothing read ahead of what the consumer takes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PassThrough, Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { windowedSource } from "../../src/pipeline/windowedSource.ts";

const bytes = (from: number, to: number): Buffer =>
  Buffer.from(Array.from({ length: to - from }, (_, i) => (from + i) & 0xff));
/** A stream of bytes [from, to) of the pattern, in chunks of `chunk`. */
const stream = (from: number, to: number, chunk = 7): Readable => {
  const pieces: Buffer[] = [];
  for (let at = from; at < to; at += chunk) pieces.push(bytes(at, Math.min(to, at + chunk)));
  return Readable.from(pieces, { objectMode: false });
};

void describe("windowedSource", () => {
  void it("joins a prefix, a buffer and a lazily opened suffix, keeping only the window", async () => {
    let opened = false;
    const out = windowedSource(
      [
        { span: { start: 10, end: 30 }, source: stream(10, 30) },
        { span: { start: 30, end: 50 }, source: bytes(30, 50) },
        {
          span: { start: 50, end: 90 },
          source: () => {
            opened = true;
            return Promise.resolve(stream(50, 90, 16));
          },
        },
      ],
      { start: 15, end: 80 },
    );
    assert.equal(opened, false);
    assert.deepEqual(await buffer(out), bytes(15, 80));
    assert.equal(opened, true);
  });

  void it("skips a probe's surplus before the window and lets unneeded pieces go", async () => {
    const unused = new PassThrough();
    unused.end(bytes(100, 110));
    const out = windowedSource(
      [
        { span: { start: 0, end: 100 }, source: stream(0, 100, 33) },
        { span: { start: 100, end: 110 }, source: unused },
      ],
      { start: 40, end: 100 },
    );
    assert.deepEqual(await buffer(out), bytes(40, 100));
    await new Promise((r) => setImmediate(r));
    assert.ok(unused.readableEnded || unused.destroyed, "an unneeded piece was left hanging");
  });

  void it("fails when the pieces end before the window does", async () => {
    const out = windowedSource([{ span: { start: 0, end: 100 }, source: stream(0, 60) }], {
      start: 0,
      end: 100,
    });
    await assert.rejects(
      buffer(out),
      (err: unknown) => err instanceof ProxyError && err.code === "ProxyUpstreamFailed",
    );
  });

  void it("reads upstream only as fast as the consumer takes (backpressure)", async () => {
    const source = new PassThrough({ highWaterMark: 1024 });
    let written = 0;
    const total = 4 * 1024 * 1024;
    const writer = (async () => {
      while (written < total) {
        const ok = source.write(Buffer.alloc(16 * 1024));
        written += 16 * 1024;
        if (!ok) await new Promise((r) => source.once("drain", r));
      }
      source.end();
    })();
    const out = windowedSource([{ span: { start: 0, end: total }, source }], { start: 0, end: total });
    out.pause();
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(written < 512 * 1024, `${written} bytes pulled while nobody read`);
    let got = 0;
    for await (const chunk of out) got += (chunk as Buffer).length;
    await writer;
    assert.equal(got, total);
  });

  void it("destroys the piece being read when the stream is destroyed", async () => {
    const source = new PassThrough();
    source.write(bytes(0, 10));
    const out = windowedSource([{ span: { start: 0, end: 1000 }, source }], { start: 0, end: 1000 });
    await new Promise<void>((r) => out.once("data", () => r()));
    out.destroy();
    source.write(bytes(10, 20)); // lets the pending read resolve, so the generator can return
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(source.destroyed);
  });
});
