/**
 * The probe (the first upstream GET of a ranged read) and what follows it, simulated with S3's range semantics
 * applied to the stored length: for random objects (single-part and multipart, sizes around segment
 * boundaries) and random ranges of all three forms and partNumbers, the upstream bytes of the whole read stay
 * within the records the answer needs plus one record (plus record 0 of a multipart object whose records-per-
 * part K must be learned), and `bytes=a-b` / `bytes=a-` of a single-part object take exactly one request.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  ciphertextLength,
  planRange,
  recordLength,
  recordSize,
  segmentSize,
} from "../../src/crypto/index.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { parseRangeHeader, type ByteRangeSpec } from "../../src/http/parseRangeHeader.ts";
import { resolveByteRange } from "../../src/http/resolveByteRange.ts";
import { probeRangeFor } from "../../src/pipeline/probeRange.ts";
import type { RangedRead } from "../../src/pipeline/rangedRead.ts";
import { readTargetFor, type StoredObject } from "../../src/pipeline/readTarget.ts";
import { stitchPlan } from "../../src/pipeline/stitchPlan.ts";

const E = 16;
const S = segmentSize(E);
const R = recordSize(E);

void describe("probeRangeFor", () => {
  void it("asks for exactly the records a byte range touches (FORMAT §7 example)", () => {
    const read = (spec: ByteRangeSpec): RangedRead => ({ kind: "range", spec });
    assert.equal(probeRangeFor(read({ kind: "from", first: 100_000, last: 199_999 })), "bytes=65568-262271");
    assert.equal(probeRangeFor(read({ kind: "from", first: 0, last: 0 })), `bytes=0-${R - 1}`);
    assert.equal(probeRangeFor(read({ kind: "from", first: S, last: undefined })), `bytes=${R}-`);
    assert.equal(probeRangeFor(read({ kind: "suffix", length: 1 })), `bytes=-${R}`);
    assert.equal(probeRangeFor(read({ kind: "suffix", length: S })), `bytes=-${R}`);
    assert.equal(probeRangeFor(read({ kind: "suffix", length: S + 1 })), `bytes=-${2 * R}`);
    assert.equal(probeRangeFor(read({ kind: "suffix", length: 0 })), `bytes=-${R}`);
    assert.equal(probeRangeFor({ kind: "part", partNumber: 7 }), `bytes=0-${R - 1}`);
    const huge = probeRangeFor(read({ kind: "from", first: Number.MAX_SAFE_INTEGER, last: undefined }));
    assert.equal(huge, `bytes=${Number.MAX_SAFE_INTEGER}-`);
  });
});

interface Simulated {
  requests: number;
  fetched: number;
  /** Bytes of the records holding at least one byte of the answer. */
  touched: number;
  /** Bytes of record 0, when it was needed only to learn a multipart object's K. */
  record0: number;
  status: number;
}

/** A stored object: single-part of `p` bytes, or multipart with `parts - 1` parts of K records and a last one. */
function storedObject(p: number, multipart: { k: number; parts: number; last: number } | undefined) {
  if (multipart === undefined) return { c: ciphertextLength(p, E), layout: "single" as const, k: undefined };
  const { k, parts, last } = multipart;
  const c = (parts - 1) * k * R + ciphertextLength(last, E);
  return { c, layout: "multipart" as const, k };
}

/** S3's answer to `Range: header` on `c` stored bytes: the span it sends, or 416. */
function s3Ranged(header: string, c: number): { start: number; end: number } | "416" {
  const spec = parseRangeHeader(header);
  assert.ok(spec, header);
  const r = resolveByteRange(spec, c);
  if (r.kind === "unsatisfiable") return "416";
  return r.kind === "whole" ? { start: 0, end: c } : { start: r.start, end: r.end };
}

function simulate(read: RangedRead, o: ReturnType<typeof storedObject>): Simulated {
  let requests = 1;
  let fetched = 0;
  let record0 = 0;
  const probe = s3Ranged(probeRangeFor(read), o.c);
  let coverage: { start: number; end: number } | undefined;
  if (probe === "416")
    requests += 1; // the HEAD that tells what the object is
  else {
    coverage = probe;
    fetched += probe.end - probe.start;
  }
  const stored: StoredObject = {
    ciphertextLength: o.c,
    segmentExponent: E,
    layout: o.layout,
    partSegments: o.k,
  };
  let target;
  try {
    target = readTargetFor(read, stored, false);
  } catch (err) {
    assert.ok(err instanceof ProxyError && (err.code === "InvalidRange" || err.code === "InvalidPartNumber"));
    return { requests, fetched, touched: 0, record0, status: err.status };
  }
  const status = target.partial ? 206 : 200;
  if (target.start === target.end && target.total > 0)
    return { requests, fetched, touched: 0, record0, status };
  const whole = target.start === 0 && target.end === target.total;
  const plan = planRange({
    segmentExponent: E,
    ciphertextLength: o.c,
    ...(whole ? {} : { start: target.start, end: target.end }),
  });
  if (o.layout === "multipart" && (read.kind === "part" || plan.firstRecord > 0)) {
    // K comes from record 0: read from a partNumber probe, else one more ranged GET.
    record0 = recordLength(0, o.c, E);
    if (!(read.kind === "part" && coverage?.start === 0)) {
      requests += 1;
      fetched += record0;
    }
  }
  const needed = { start: plan.cipherStart, end: plan.cipherEnd };
  const stitch = stitchPlan(needed, coverage);
  if (stitch.kind === "fetch") {
    requests += 1;
    fetched += needed.end - needed.start;
  } else {
    for (const extra of [stitch.prefix, stitch.suffix]) {
      if (extra === undefined) continue;
      requests += 1;
      fetched += extra.end - extra.start;
    }
  }
  let touched = 0;
  const first = Math.floor(target.start / S);
  const last = target.end > target.start ? Math.floor((target.end - 1) / S) : first;
  for (let g = first; g <= last; g++) touched += recordLength(g, o.c, E);
  return { requests, fetched, touched, record0, status };
}

const objects = fc.oneof(
  // single-part: sizes around segment boundaries, up to ~20 records
  fc
    .tuple(fc.nat({ max: 20 }), fc.integer({ min: -2, max: 2 }), fc.nat({ max: S - 1 }), fc.boolean())
    .map(([segs, d, r, edge]) => ({ p: Math.max(0, segs * S + (edge ? d : r)), multipart: undefined })),
  // multipart: K records per part, an odd (possibly empty) last part
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.nat({ max: 4 * S }))
    .map(([k, parts, lastRaw]) => {
      const last = lastRaw % (k * S + 1);
      return { p: (parts - 1) * k * S + last, multipart: { k, parts, last } };
    }),
);

const reads = (p: number): fc.Arbitrary<RangedRead> =>
  fc.oneof(
    fc
      .tuple(fc.nat({ max: p + 10 }), fc.option(fc.nat({ max: p + 10 }), { nil: undefined }))
      .map(([first, d]) => ({
        kind: "range" as const,
        spec: { kind: "from" as const, first, last: d === undefined ? undefined : first + d },
      })),
    fc
      .nat({ max: p + 10 })
      .map((length) => ({ kind: "range" as const, spec: { kind: "suffix" as const, length } })),
    fc.integer({ min: 1, max: 7 }).map((partNumber) => ({ kind: "part" as const, partNumber })),
  );

void describe("a simulated ranged read", () => {
  void it("fetches at most the touched records + one record (+ record 0 for multipart K)", () => {
    fc.assert(
      fc.property(
        objects.chain((obj) => fc.tuple(fc.constant(obj), reads(obj.p))),
        ([obj, read]) => {
          const o = storedObject(obj.p, obj.multipart);
          const sim = simulate(read, o);
          const why = JSON.stringify({ obj, read, sim });
          assert.ok(sim.fetched <= sim.touched + R + sim.record0, why);
          assert.ok(sim.requests <= 4, why);
          if (
            o.layout === "single" &&
            read.kind === "range" &&
            read.spec.kind === "from" &&
            sim.status === 206
          ) {
            assert.equal(sim.requests, 1, why);
            assert.equal(sim.fetched - sim.touched, 0, why); // the final record is touched whenever it is fetched
          }
        },
      ),
      { seed: 20261126, numRuns: 3000 },
    );
  });

  void it("reads part 1 of a single-part object, and a multipart part, without fetching a record twice", () => {
    const single = storedObject(5 * S + 17, undefined);
    const one = simulate({ kind: "part", partNumber: 1 }, single);
    assert.deepEqual([one.status, one.requests, one.fetched], [206, 2, single.c]);
    const mp = storedObject(3 * 2 * S + 100, { k: 2, parts: 4, last: 100 });
    const p1 = simulate({ kind: "part", partNumber: 1 }, mp);
    assert.deepEqual([p1.status, p1.requests, p1.fetched], [206, 2, 2 * R]);
    const p3 = simulate({ kind: "part", partNumber: 3 }, mp);
    assert.deepEqual([p3.status, p3.requests, p3.fetched], [206, 2, R + 2 * R]);
    assert.equal(simulate({ kind: "part", partNumber: 5 }, mp).status, 416);
  });
});
