/**
 * `s3proxy migrate --bucket B [--prefix P] [--dry-run] [--concurrency N]`: re-encrypts the objects that
 * Constellation's Go s3proxy wrote into format v1, in place (docs/LEGACY.md "Migration"). It talks to S3
 * directly (the offline tools' client and flags, src/cli/s3AccessOptions.ts), reads the legacy objects with the
 * `--legacy-*` flags and wraps new DEKs with the same key configuration as `serve` (src/cli/keyOptions.ts; it
 * never creates a development key). Exit status 1 when any object failed.
 */
import type { Argv } from "yargs";
import { keyConfig, keyOptions, refuseKeysFlag } from "../cli/keyOptions.ts";
import { legacyConfig, legacyOptions } from "../cli/legacyOptions.ts";
import { s3AccessConfig, s3AccessOptions } from "../cli/s3AccessOptions.ts";
import { runTool } from "../tools/runTool.ts";
import { ToolError } from "../tools/ToolError.ts";

export function migrateOptions(y: Argv) {
  return legacyOptions(keyOptions(s3AccessOptions(y)))
    .option("bucket", { type: "string", demandOption: true, describe: "bucket whose objects to convert" })
    .option("prefix", { type: "string", default: "", describe: "only keys starting with this" })
    .option("dry-run", {
      type: "boolean",
      default: false,
      describe: "read and authenticate every Constellation object, write nothing",
    })
    .option("concurrency", { type: "number", default: 4, describe: "objects converted at once" });
}

export type MigrateArgs = Awaited<ReturnType<typeof migrateOptions>["argv"]>;

export function migrateHandler(argv: MigrateArgs): Promise<void> {
  return runTool("migrate", async () => {
    refuseKeysFlag(process.argv);
    const concurrency = argv.concurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new ToolError("ToolUsage", "--concurrency must be an integer from 1 to 64");
    }
    const keys = keyConfig(argv);
    const legacy = legacyConfig(argv);
    const [{ loadKeyRing }, { loadLegacyReader }, { createToolS3Client }, { runMigration }, format] =
      await Promise.all([
        import("../cli/loadKeyRing.ts"),
        import("../cli/legacyOptions.ts"),
        import("../tools/createToolS3Client.ts"),
        import("./runMigration.ts"),
        import("./formatMigration.ts"),
      ]);
    const reader = await loadLegacyReader(legacy);
    if (reader.keys.kek === undefined && !reader.keys.allowZeroKek) {
      throw new ToolError("ToolUsage", "migrate needs --legacy-kek-file and/or --legacy-allow-zero-kek");
    }
    const ring = argv["dry-run"] ? undefined : await loadKeyRing(keys, { createDevelopmentKey: false });
    const s3 = await createToolS3Client(s3AccessConfig(argv), concurrency * 2);
    if (ring !== undefined) {
      process.stderr.write(`s3proxy migrate: new DEKs are wrapped by ${ring.scheme}:${ring.activeKekId()}\n`);
    }
    if (reader.keys.allowZeroKek) {
      process.stderr.write(
        "s3proxy migrate: --legacy-allow-zero-kek: objects wrapped with the ALL-ZERO KEK are opened too\n",
      );
    }
    try {
      const summary = await runMigration({
        s3,
        bucket: argv.bucket,
        prefix: argv.prefix,
        dryRun: argv["dry-run"],
        concurrency,
        legacy: reader,
        keys: ring ?? dryRunKeys,
        onObject: (key, result) =>
          process.stdout.write(`${format.formatObjectLine(argv.bucket, key, result)}\n`),
      });
      process.stdout.write(format.formatSummary(summary, argv["dry-run"]));
      if (summary.failed.length > 0) process.exitCode = 1;
    } finally {
      s3.destroy();
    }
  });
}

/** A dry run wraps nothing: reaching this provider would be a bug. */
const dryRunKeys = {
  scheme: "dry-run",
  activeKekId: () => "none",
  listKekIds: () => [],
  wrapDek: () => Promise.reject(new Error("a dry run wraps no DEK")),
  unwrapDek: () => Promise.reject(new Error("a dry run unwraps no DEK")),
};
