import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  parseResumeState,
  readResumeFile,
  resumeFrom,
  serializeResumeState,
  writeResumeFile,
} from "../../../src/tools/rewrap/resumeFile.ts";
import { ToolError } from "../../../src/tools/ToolError.ts";

const dir = await mkdtemp(join(tmpdir(), "s3proxy-resume-"));
after(() => rm(dir, { recursive: true, force: true }));
const mismatch = (err: unknown): boolean => err instanceof ToolError && err.code === "ResumeFileMismatch";
const run = { bucket: "b", prefix: "p/", allVersions: false };

describe("resume file", () => {
  it("round-trips through an owner-only file written atomically", async () => {
    const path = join(dir, "state.json");
    assert.equal(await readResumeFile(path), undefined);
    const state = { ...run, after: { key: "p/x\ny" }, complete: false };
    await writeResumeFile(path, state, new Date(0));
    assert.deepEqual(await readResumeFile(path), state);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ["state.json"]);
    assert.match(await readFile(path, "utf8"), /"updated": "1970-01-01T00:00:00.000Z"/);
    const versions = { ...run, allVersions: true, after: { key: "k", versionId: "v" }, complete: true };
    assert.deepEqual(parseResumeState(serializeResumeState(versions, new Date()), "x"), versions);
  });

  it("continues only the run it belongs to", () => {
    assert.deepEqual(resumeFrom(run, undefined, "f"), { ...run, complete: false });
    const saved = { ...run, after: { key: "k" }, complete: false };
    assert.equal(resumeFrom(run, saved, "f"), saved);
    for (const other of [{ bucket: "c" }, { prefix: "" }, { allVersions: true }]) {
      assert.throws(() => resumeFrom({ ...run, ...other }, saved, "f"), mismatch);
    }
  });

  it("refuses files that are not resume files", () => {
    for (const bad of [
      "",
      "{}",
      '{"version":2,"bucket":"b","prefix":"","allVersions":false,"complete":false}',
      '{"version":1,"bucket":"b","prefix":"","allVersions":false,"complete":false,"after":{"key":1}}',
    ]) {
      assert.throws(() => parseResumeState(bad, "f"), mismatch, bad);
    }
  });
});
