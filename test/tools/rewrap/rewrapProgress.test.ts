/** The progress bar on a (fake) terminal and the plain lines elsewhere. */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { barProgress, lineProgress } from "../../../src/tools/rewrap/rewrapProgress.ts";
import { RewrapTally } from "../../../src/tools/rewrap/RewrapTally.ts";

function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = "";
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      out += chunk.toString();
      cb();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, {
    isTTY: true,
    columns: 120,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    clearScreenDown: () => true,
  });
  return { stream, text: () => out };
}

describe("rewrap progress", () => {
  it("draws a bar with the counts on a terminal", async () => {
    const tally = new RewrapTally("b");
    const term = fakeTerminal();
    const progress = await barProgress(tally, term.stream);
    progress.listed(3);
    for (const key of ["a", "b", "c"]) {
      const outcome = {
        object: { key, isLatest: true },
        result: { kind: "current", kekRef: "aeskw:n" } as const,
      };
      tally.add(outcome);
      progress.finished(outcome);
    }
    progress.note("SIGINT: finishing");
    progress.close();
    assert.match(term.text(), /rewrap \[.*\] 3\/3 listed \| rewrapped 0 \| current 3 \| failed 0/);
    assert.match(term.text(), /SIGINT: finishing/);
  });

  it("prints one line per object otherwise", () => {
    const lines: string[] = [];
    const progress = lineProgress("b", (l) => lines.push(l));
    progress.finished({ object: { key: "k", isLatest: true }, result: { kind: "legacy" } });
    progress.note("done");
    assert.deepEqual(lines, ["legacy       s3://b/k  no envelope, unchanged\n", "done\n"]);
  });
});
