/**
 * Micro-benchmark of the format v1 streams against raw node:crypto AES-256-GCM on the same data
 * (issue [2]). Prints MB/s (10^6 bytes of plaintext per wall second, median of several runs), CPU seconds per
 * GiB of plaintext (NOTES.md §6: the box is shared, CPU time is the steadier figure) and the ratio to raw
 * one-shot GCM. Not a test: nothing here asserts timing.
 *
 *   node --import tsx bench/crypto.ts [--mib 128] [--runs 5] [--chunk 65536]
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { createEnvelope } from "../src/crypto/createEnvelope.ts";
import { createDecryptStream } from "../src/crypto/decryptStream.ts";
import { createEncryptStream } from "../src/crypto/encryptStream.ts";
import { openObjectKeys } from "../src/crypto/objectKeys.ts";
import { planRange } from "../src/crypto/rangePlan.ts";

const { values } = parseArgs({
  options: {
    mib: { type: "string", default: "128" },
    runs: { type: "string", default: "5" },
    chunk: { type: "string", default: "65536" },
  },
});
const size = Number(values.mib) * 2 ** 20;
const runs = Number(values.runs);
const chunkSize = Number(values.chunk);
const SEGMENT = 65536;

const plaintext = randomBytes(size);
const key = randomBytes(32);
const iv = randomBytes(12);
const { header, dek } = createEnvelope({ layout: "single" });
const keys = openObjectKeys(header, dek);

function chunks(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunkSize) out.push(data.subarray(at, at + chunkSize));
  return out;
}

function sink(collect?: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      collect?.push(chunk);
      cb();
    },
  });
}

interface Sample {
  wall: number;
  cpu: number;
}

async function measure(fn: () => Promise<void> | void): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

// Prepare ciphertexts for the decrypt cases.
const oneShot = createCipheriv("aes-256-gcm", key, iv);
const rawCiphertext = Buffer.concat([oneShot.update(plaintext), oneShot.final()]);
const rawTag = oneShot.getAuthTag();
const formatted: Buffer[] = [];
await pipeline(
  Readable.from(chunks(plaintext)),
  createEncryptStream({ keys, part: 0, plaintextLength: size }),
  sink(formatted),
);
const ourCiphertext = Buffer.concat(formatted);
formatted.length = 0;
const plan = planRange({ segmentExponent: header.segmentExponent, ciphertextLength: ourCiphertext.length });

const cases: [string, () => Promise<void> | void][] = [
  [
    "raw GCM encrypt, one-shot",
    () => {
      const c = createCipheriv("aes-256-gcm", key, iv);
      c.update(plaintext);
      c.final();
    },
  ],
  [
    "raw GCM encrypt, one cipher, 64 KiB updates",
    () => {
      const c = createCipheriv("aes-256-gcm", key, iv);
      for (let at = 0; at < size; at += SEGMENT) c.update(plaintext.subarray(at, at + SEGMENT));
      c.final();
    },
  ],
  [
    "raw GCM encrypt, new cipher per 64 KiB",
    () => {
      for (let at = 0; at < size; at += SEGMENT) {
        const n = Buffer.alloc(12);
        n.writeUInt32BE(at / SEGMENT, 8);
        const c = createCipheriv("aes-256-gcm", key, n);
        c.update(plaintext.subarray(at, at + SEGMENT));
        c.final();
        c.getAuthTag();
      }
    },
  ],
  [
    "s3proxy encrypt stream",
    () =>
      pipeline(
        Readable.from(chunks(plaintext)),
        createEncryptStream({ keys, part: 0, plaintextLength: size }),
        sink(),
      ),
  ],
  [
    "raw GCM decrypt, one-shot",
    () => {
      const d = createDecipheriv("aes-256-gcm", key, iv);
      d.update(rawCiphertext);
      d.setAuthTag(rawTag);
      d.final();
    },
  ],
  [
    "raw GCM decrypt, one cipher, 64 KiB updates",
    () => {
      const d = createDecipheriv("aes-256-gcm", key, iv);
      for (let at = 0; at < size; at += SEGMENT) d.update(rawCiphertext.subarray(at, at + SEGMENT));
      d.setAuthTag(rawTag);
      d.final();
    },
  ],
  [
    "s3proxy decrypt stream",
    () => pipeline(Readable.from(chunks(ourCiphertext)), createDecryptStream({ keys, plan }), sink()),
  ],
];

console.log(
  `# ${values.mib} MiB random plaintext, input chunks of ${chunkSize} B, 64 KiB segments, median of ${runs} runs, ` +
    `node ${process.version}`,
);
const results: { name: string; mbps: number; cpuPerGiB: number }[] = [];
for (const [name, fn] of cases) {
  await measure(fn); // warm-up
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await measure(fn));
  results.push({
    name,
    mbps: size / 1e6 / median(samples.map((s) => s.wall)),
    cpuPerGiB: median(samples.map((s) => s.cpu)) / (size / 2 ** 30),
  });
}
// Ratios against raw GCM over the same data in the same direction: one-shot, and one cipher fed 64 KiB updates
// (the fastest raw figure: the one-shot case pays for allocating and faulting in one huge output buffer).
const rawOneShot = (i: number): number => results[i < 4 ? 0 : 4]?.mbps ?? NaN;
const rawChunked = (i: number): number => results[i < 4 ? 1 : 5]?.mbps ?? NaN;
const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
const rows = results.map((r, i) => [
  r.name,
  r.mbps.toFixed(0),
  r.cpuPerGiB.toFixed(3),
  pct(r.mbps / rawOneShot(i)),
  pct(r.mbps / rawChunked(i)),
]);
const head = ["case", "MB/s", "CPU s/GiB", "vs raw one-shot", "vs raw 64 KiB updates"];
const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? "").length)));
const line = (cells: string[]): string =>
  `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(" | ")} |`;
console.log(line(head));
console.log(`|${widths.map((w, c) => (c === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
for (const row of rows) console.log(line(row));
console.log(
  `# ciphertext overhead: ${ourCiphertext.length - size} B on ${size} B (${((ourCiphertext.length / size - 1) * 100).toFixed(3)}%)`,
);
