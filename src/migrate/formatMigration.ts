/** The lines `s3proxy migrate` prints: one per object as it finishes, and the summary. Pure. */
import type { MigrationSummary, ObjectResult } from "./runMigration.ts";

export function formatObjectLine(bucket: string, key: string, result: ObjectResult): string {
  const name = `s3://${bucket}/${key}`;
  if (!result.ok) return `FAILED         ${name}: ${result.code}: ${result.message}`;
  const o = result.outcome;
  const kek = "kekUsed" in o ? (o.kekUsed === "zero" ? ", ALL-ZERO KEK" : ", legacy KEK") : "";
  switch (o.kind) {
    case "converted":
      return `converted      ${name} (${o.bytes} bytes${kek})`;
    case "would-convert":
      return `would convert  ${name} (${o.bytes} bytes${kek})`;
    case "already-v1":
      return `skipped        ${name} (already s3proxy format v1)`;
    case "not-constellation":
      return `skipped        ${name} (no constellation-dek: not a Constellation object)`;
  }
}

export function formatSummary(s: MigrationSummary, dryRun: boolean): string {
  const lines = [
    `${dryRun ? "dry run: " : ""}${s.listed} objects listed: ` +
      (dryRun ? `${s.wouldConvert} would be converted` : `${s.converted} converted`) +
      `, ${s.alreadyV1} already format v1, ${s.notConstellation} not Constellation objects, ${s.failed.length} failed`,
  ];
  if (s.zeroKek > 0) {
    lines.push(
      `WARNING: ${s.zeroKek} objects were wrapped with the ALL-ZERO KEK: until converted they were protected by no secret`,
    );
  }
  for (const f of s.failed) lines.push(`failed: ${f.key}: ${f.code}: ${f.message}`);
  return `${lines.join("\n")}\n`;
}
