/** Tool error codes: each documented in docs/KEYS.md "Offline tools: errors", and nothing else is. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { errorCode, TOOL_ERROR_CODES, ToolError } from "../../src/tools/ToolError.ts";

const doc = readFileSync(new URL("../../docs/KEYS.md", import.meta.url), "utf8");

describe("tool errors", () => {
  it("are all documented in docs/KEYS.md with their meaning, and nothing else is", () => {
    const start = doc.indexOf("## Offline tools: errors");
    const table = doc.slice(start, doc.indexOf("\n## ", start + 1));
    const rows = new Map(
      [...table.matchAll(/^\|\s*`([A-Za-z0-9]+)`\s*\|\s*(.+?)\s*\|$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    assert.deepEqual([...rows.keys()].sort(), Object.keys(TOOL_ERROR_CODES).sort());
    for (const [code, meaning] of Object.entries(TOOL_ERROR_CODES))
      assert.equal(rows.get(code), meaning, code);
  });

  it("name their code; other errors are named by their code or name", () => {
    assert.equal(errorCode(new ToolError("ObjectChanged", "m")), "ObjectChanged");
    assert.equal(errorCode(Object.assign(new Error("x"), { code: "ECONNREFUSED" })), "ECONNREFUSED");
    assert.equal(errorCode(Object.assign(new Error("x"), { name: "AccessDenied" })), "AccessDenied");
    assert.equal(errorCode(new Error("x")), "Error");
    assert.equal(errorCode("text"), "Error");
  });
});
