/** What `s3proxy migrate` prints per object and at the end. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatObjectLine, formatSummary } from "../../src/migrate/formatMigration.ts";

describe("migrate output", () => {
  it("names every outcome and the KEK that opened the object", () => {
    const line = (outcome: Parameters<typeof formatObjectLine>[2]) => formatObjectLine("b", "k", outcome);
    assert.match(
      line({ ok: true, outcome: { kind: "converted", bytes: 5, kekUsed: "configured" } }),
      /^converted .*s3:\/\/b\/k \(5 bytes, legacy KEK\)/,
    );
    assert.match(
      line({ ok: true, outcome: { kind: "would-convert", bytes: 5, kekUsed: "zero" } }),
      /^would convert .*ALL-ZERO KEK/,
    );
    assert.match(line({ ok: true, outcome: { kind: "already-v1" } }), /^skipped .*already s3proxy format v1/);
    assert.match(
      line({ ok: true, outcome: { kind: "not-constellation" } }),
      /^skipped .*not a Constellation object/,
    );
    assert.match(
      line({ ok: false, code: "LegacyUnwrapFailed", message: "m" }),
      /^FAILED .*LegacyUnwrapFailed: m/,
    );
  });

  it("summarises counts, warns about zero-KEK objects and lists failures", () => {
    const text = formatSummary(
      {
        listed: 5,
        converted: 2,
        wouldConvert: 0,
        alreadyV1: 1,
        notConstellation: 1,
        zeroKek: 1,
        failed: [{ key: "x", code: "ObjectChanged", message: "412" }],
      },
      false,
    );
    assert.match(
      text,
      /^5 objects listed: 2 converted, 1 already format v1, 1 not Constellation objects, 1 failed$/m,
    );
    assert.match(text, /WARNING: 1 objects were wrapped with the ALL-ZERO KEK/);
    assert.match(text, /^failed: x: ObjectChanged: 412$/m);
    assert.match(
      formatSummary(
        {
          listed: 1,
          converted: 0,
          wouldConvert: 1,
          alreadyV1: 0,
          notConstellation: 0,
          zeroKek: 0,
          failed: [],
        },
        true,
      ),
      /^dry run: 1 objects listed: 1 would be converted/,
    );
  });
});
