import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { after, describe, it } from "node:test";
import { ToolError } from "../../src/tools/ToolError.ts";
import { writeOutputFile } from "../../src/tools/writeOutputFile.ts";

const dir = await mkdtemp(join(tmpdir(), "s3proxy-out-"));
after(() => rm(dir, { recursive: true, force: true }));

const failing = (): Transform =>
  new Transform({
    transform(chunk: Buffer, _e, cb) {
      cb(null, chunk);
    },
    flush(cb) {
      cb(new Error("bad last record"));
    },
  });

describe("writeOutputFile", () => {
  it("writes an owner-only file through a temporary name", async () => {
    const path = join(dir, "a.bin");
    await writeOutputFile(path, Readable.from([Buffer.from("abc"), Buffer.from("def")]), [], false);
    assert.equal(await readFile(path, "utf8"), "abcdef");
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ["a.bin"]);
  });

  it("leaves nothing behind when the stream fails", async () => {
    const path = join(dir, "b.bin");
    await assert.rejects(
      writeOutputFile(path, Readable.from([Buffer.from("abc")]), [failing()], false),
      /bad last/,
    );
    assert.deepEqual((await readdir(dir)).sort(), ["a.bin"]);
  });

  it("never replaces an existing file without overwrite, and replaces it with", async () => {
    const path = join(dir, "c.bin");
    await writeFile(path, "old");
    await assert.rejects(
      writeOutputFile(path, Readable.from([Buffer.from("new")]), [], false),
      (err: unknown) => err instanceof ToolError && err.code === "OutputExists",
    );
    assert.equal(await readFile(path, "utf8"), "old");
    await writeOutputFile(path, Readable.from([Buffer.from("new")]), [], true);
    assert.equal(await readFile(path, "utf8"), "new");
    assert.deepEqual((await readdir(dir)).sort(), ["a.bin", "c.bin"]);
  });
});
