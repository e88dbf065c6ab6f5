/**
 * docs/OPERATIONS.md documents the operation table row by row; this test fails when the two drift apart: a
 * table entry without a row, a row without an entry, or a row whose shape or action differs from the code.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { OPERATIONS, type OperationRule } from "../../src/s3/operationTable.ts";

const doc = readFileSync(new URL("../../docs/OPERATIONS.md", import.meta.url), "utf8");
const section = doc.split(/^## Operations$/m)[1] ?? "";

interface DocRow {
  name: string;
  recognisedBy: string;
  action: string;
}

const rows: DocRow[] = section
  .split("\n")
  .filter((line) => line.startsWith("| `"))
  .map((line) => {
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    return { name: (cells[0] ?? "").replace(/`/g, ""), recognisedBy: cells[1] ?? "", action: cells[2] ?? "" };
  });

function documentedAction(r: OperationRule): string {
  let action: string = r.action;
  if (r.rewrite !== undefined) action += ` (${r.rewrite})`;
  if (r.bodyCheck !== undefined) action += " (body check)";
  return action;
}

describe("docs/OPERATIONS.md", () => {
  it("has an Operations table", () => {
    assert.ok(rows.length > 0);
  });

  it("documents every table entry with its shape, data headers and action", () => {
    for (const r of OPERATIONS) {
      const row = rows.find((x) => x.name === r.name);
      assert.ok(row, `${r.name} is not documented`);
      assert.ok(
        row.recognisedBy.includes(`\`${r.shape}\``),
        `${r.name}: shape ${r.shape} not in "${row.recognisedBy}"`,
      );
      for (const h of r.headers)
        assert.ok(row.recognisedBy.includes(h), `${r.name}: header ${h} not documented`);
      assert.equal(row.action, documentedAction(r), r.name);
    }
  });

  it("documents nothing the table does not have, and each operation once", () => {
    const names = rows.map((x) => x.name);
    assert.equal(new Set(names).size, names.length, "duplicate rows");
    const known = new Set<string>(OPERATIONS.map((r) => r.name));
    assert.deepEqual(
      names.filter((n) => !known.has(n)),
      [],
    );
  });
});
