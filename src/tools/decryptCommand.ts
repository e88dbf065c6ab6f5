/**
 * `s3proxy decrypt <object>`: a stored object's plaintext with the KEK, without the proxy (offline recovery,
 * docs/KEYS.md). Reads S3 directly or a downloaded file; `--range` fetches or reads only the records it needs.
 * Output goes to `-o FILE` all or nothing (writeOutputFile.ts) or to stdout, where a failure after the start
 * leaves the verified records already written and exits non-zero.
 */
import { resolve } from "node:path";
import type { Argv } from "yargs";
import { keyConfig, keyOptions, refuseKeysFlag, type KeyConfig } from "../cli/keyOptions.ts";
import { s3AccessConfig, s3AccessOptions } from "../cli/s3AccessOptions.ts";
import { parsePlaintextRange } from "./parsePlaintextRange.ts";
import { runTool } from "./runTool.ts";
import { sourceOptions } from "./sourceOptions.ts";
import { ToolError } from "./ToolError.ts";

export function decryptOptions(y: Argv) {
  return keyOptions(s3AccessOptions(sourceOptions(y)))
    .option("output", {
      alias: "o",
      type: "string",
      describe: "write the plaintext here (temp file renamed on success); default or '-': stdout",
    })
    .option("range", { type: "string", describe: "plaintext bytes a-b (inclusive), a- or -n" })
    .option("force", { type: "boolean", default: false, describe: "replace an existing --output file" })
    .option("allow-plaintext", {
      type: "boolean",
      default: false,
      describe: "copy an object without an s3proxy envelope as stored instead of refusing it",
    });
}

export type DecryptArgs = Awaited<ReturnType<typeof decryptOptions>["argv"]>;

export interface DecryptRequest {
  readonly source: string;
  readonly metadataFile: string | undefined;
  readonly versionId: string | undefined;
  /** Undefined: stdout. */
  readonly output: string | undefined;
  readonly range: ReturnType<typeof parsePlaintextRange> | undefined;
  readonly force: boolean;
  readonly allowPlaintext: boolean;
  readonly keys: KeyConfig;
}

/** The checked, typed request of the parsed flags (pure). */
export function decryptRequest(argv: DecryptArgs): DecryptRequest {
  const output = argv.output === undefined || argv.output === "-" ? undefined : resolve(argv.output);
  if (argv.force && output === undefined) throw new ToolError("ToolUsage", "--force goes with --output FILE");
  return {
    source: argv.object,
    metadataFile: argv.metadata,
    versionId: argv["version-id"],
    output,
    range: argv.range === undefined ? undefined : parsePlaintextRange(argv.range),
    force: argv.force,
    allowPlaintext: argv["allow-plaintext"],
    keys: keyConfig(argv),
  };
}

export function decryptHandler(argv: DecryptArgs): Promise<void> {
  return runTool("decrypt", async () => {
    refuseKeysFlag(process.argv);
    const request = decryptRequest(argv);
    const { decryptToOutput } = await import("./decryptToOutput.ts");
    await decryptToOutput(request, () => s3AccessConfig(argv));
  });
}
