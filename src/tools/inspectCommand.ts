/**
 * `s3proxy inspect <object>`: prints a stored object's envelope (docs/KEYS.md "Offline tools"). Needs no KEK;
 * `--verify` also unwraps the DEK with the key configuration and authenticates record 0. Exit status 0 for a
 * readable envelope and for a legacy (unencrypted) object; 1 for a malformed envelope or a failed check.
 */
import type { Argv } from "yargs";
import { keyConfig, keyOptions, refuseKeysFlag } from "../cli/keyOptions.ts";
import { s3AccessConfig, s3AccessOptions } from "../cli/s3AccessOptions.ts";
import { runTool } from "./runTool.ts";
import { sourceOptions } from "./sourceOptions.ts";

export function inspectOptions(y: Argv) {
  return keyOptions(s3AccessOptions(sourceOptions(y)))
    .option("json", { type: "boolean", default: false, describe: "print the report as JSON" })
    .option("verify", {
      type: "boolean",
      default: false,
      describe: "unwrap the DEK with the configured keys and authenticate record 0",
    });
}

export type InspectArgs = Awaited<ReturnType<typeof inspectOptions>["argv"]>;

export function inspectHandler(argv: InspectArgs): Promise<void> {
  return runTool("inspect", async () => {
    refuseKeysFlag(process.argv);
    const keys = keyConfig(argv);
    const [{ openSource }, { inspectObject }, { formatInspectReport }, { loadKeyRing }] = await Promise.all([
      import("./openSource.ts"),
      import("./inspectObject.ts"),
      import("./formatInspectReport.ts"),
      import("../cli/loadKeyRing.ts"),
    ]);
    const { object, close } = await openSource({
      source: argv.object,
      metadataFile: argv.metadata,
      versionId: argv["version-id"],
      s3: () => s3AccessConfig(argv),
    });
    try {
      const report = await inspectObject(
        object,
        argv.verify ? () => loadKeyRing(keys, { createDevelopmentKey: false }) : undefined,
      );
      process.stdout.write(argv.json ? `${JSON.stringify(report, null, 2)}\n` : formatInspectReport(report));
    } finally {
      close();
    }
  });
}
