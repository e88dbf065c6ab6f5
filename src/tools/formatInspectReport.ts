/** The human-readable form of an InspectReport (`s3proxy inspect` without --json): one `name: value` per line. */
import type { InspectReport } from "./inspectReport.ts";

function bytes(n: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let unit = "";
  for (const u of units) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  return unit === "" ? `${n} B` : `${n} B (${v.toFixed(2)} ${unit})`;
}

export function formatInspectReport(r: InspectReport): string {
  const lines: [string, string][] = [["object", r.object]];
  if (r.versionId !== undefined) lines.push(["version id", r.versionId]);
  if (r.etag !== undefined) lines.push(["stored ETag", r.etag]);
  if (r.lastModified !== undefined) lines.push(["last modified", r.lastModified]);
  if (r.contentType !== undefined) lines.push(["content type", r.contentType]);
  lines.push(["stored length", bytes(r.storedLength)]);
  const env = r.envelope;
  if (!r.encrypted || env === undefined) {
    lines.push(["encryption", "none: no s3proxy envelope (legacy plaintext, passed through as stored)"]);
  } else {
    lines.push(
      ["format version", String(env.formatVersion)],
      ["suite", `${env.suite} (${env.suiteName})`],
      ["segment size", `${bytes(env.segmentSize)}, e = ${env.segmentExponent}`],
      ["layout", env.layout === "single" ? "single-part (0)" : "multipart (1)"],
      ["salt", env.salt],
      ["commitment", env.commitment],
      ["KEK reference", env.kekRef],
      ["wrapped DEK", `${env.wrappedDekLength} bytes`],
      ["sealed MD5", env.sealedMd5 ? "present (x-amz-meta-s3proxy-md5)" : "absent"],
      ["envelope metadata", `${env.metadataBytes} of 2048 bytes`],
    );
    if (r.lengthProblem !== undefined) lines.push(["plaintext length", `impossible: ${r.lengthProblem}`]);
    else {
      lines.push(["plaintext length", bytes(r.plaintextLength ?? 0)], ["records", String(r.recordCount)]);
    }
    const mp = r.multipart;
    if (mp !== undefined) {
      const source = mp.recordsPerPartAuthenticated
        ? "from record 0, authenticated"
        : "from record 0's header, not authenticated (--verify checks it)";
      lines.push(["records per part", `${mp.recordsPerPart} (${source})`]);
      if (mp.problem !== undefined) lines.push(["parts", `inconsistent: ${mp.problem}`]);
      else {
        lines.push(
          ["parts", String(mp.partCount)],
          ["part size", `${bytes(mp.partPlaintextLength ?? 0)} plaintext`],
          ["last part size", `${bytes(mp.lastPartPlaintextLength ?? 0)} plaintext`],
        );
      }
    }
    const v = r.verified;
    if (v !== undefined) {
      lines.push(["DEK", v.dek ? "unwrapped, matches the key commitment" : "not verified"]);
      lines.push(["record 0", v.record0 ? "authenticated at its position" : "not verified"]);
      if (v.plaintextMd5 !== undefined) lines.push(["plaintext MD5", v.plaintextMd5]);
    }
  }
  const width = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}`).join("\n") + "\n";
}
