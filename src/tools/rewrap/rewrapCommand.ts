/**
 * `s3proxy rewrap --bucket B [--prefix P]`: KEK rotation without re-encryption (docs/KEYS.md "Re-wrapping").
 * Every encrypted object whose DEK is wrapped by another KEK than the active one gets its DEK re-wrapped under
 * the active KEK, by a server-side copy onto itself that changes only the envelope's `kek`/`dek` metadata.
 * Talks to S3 directly, never through the proxy.
 *
 * Exit status: 0 when every object is current, re-wrapped or needs nothing; 2 when some object failed or was
 * refused (it keeps its old KEK; the summary says which and why); 130 when interrupted (resume with the same
 * --resume-file); 1 when the run could not start or the listing failed.
 */
import { resolve } from "node:path";
import type { Argv } from "yargs";
import { keyConfig, keyOptions, refuseKeysFlag, type KeyConfig } from "../../cli/keyOptions.ts";
import { s3AccessConfig, s3AccessOptions, type S3AccessConfig } from "../../cli/s3AccessOptions.ts";
import { runTool } from "../runTool.ts";
import { ToolError } from "../ToolError.ts";
import { MAX_COPY_OBJECT_BYTES } from "./copyPlan.ts";

export const EXIT_PROBLEMS = 2;
export const EXIT_INTERRUPTED = 130;

export function rewrapOptions(y: Argv) {
  return keyOptions(s3AccessOptions(y))
    .option("bucket", { type: "string", demandOption: true, describe: "the bucket to re-wrap" })
    .option("prefix", { type: "string", default: "", describe: "only keys starting with this" })
    .option("dry-run", {
      type: "boolean",
      default: false,
      describe: "change nothing; report what would be re-wrapped (unwraps DEKs to check the old KEKs)",
    })
    .option("concurrency", { type: "number", default: 8, describe: "objects in flight (1-256)" })
    .option("resume-file", {
      type: "string",
      describe: "record progress here and continue from it (created if missing)",
    })
    .option("all-versions", {
      type: "boolean",
      default: false,
      describe: "list every version: current ones are re-wrapped, noncurrent ones under old KEKs are counted",
    })
    .option("multipart-threshold", {
      type: "number",
      default: MAX_COPY_OBJECT_BYTES,
      describe: "multipart objects with more stored bytes are copied part by part (max and default: 5 GiB)",
    })
    .option("part-concurrency", { type: "number", default: 4, describe: "part copies in flight per object" })
    .option("conditional-write", {
      type: "boolean",
      default: true,
      describe:
        "also send If-Match on the write (S3 conditional writes); --no-conditional-write for stores that refuse it",
    })
    .option("json", { type: "boolean", default: false, describe: "print the summary as JSON" });
}

export type RewrapArgs = Awaited<ReturnType<typeof rewrapOptions>["argv"]>;

export interface RewrapRequest {
  readonly bucket: string;
  readonly prefix: string;
  readonly dryRun: boolean;
  readonly concurrency: number;
  readonly resumeFile: string | undefined;
  readonly allVersions: boolean;
  readonly multipartThreshold: number;
  readonly partConcurrency: number;
  readonly conditionalWrite: boolean;
  readonly json: boolean;
  readonly keys: KeyConfig;
  readonly s3: S3AccessConfig;
}

function integerIn(value: number, min: number, max: number, flag: string): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ToolError("ToolUsage", `${flag} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** The checked, typed request of the parsed flags (pure). */
export function rewrapRequest(argv: RewrapArgs, env: NodeJS.ProcessEnv = process.env): RewrapRequest {
  if (argv.bucket === "" || argv.bucket.includes("/")) {
    throw new ToolError("ToolUsage", "--bucket takes a bucket name (use --prefix for a part of it)");
  }
  return {
    bucket: argv.bucket,
    prefix: argv.prefix,
    dryRun: argv["dry-run"],
    concurrency: integerIn(argv.concurrency, 1, 256, "--concurrency"),
    resumeFile: argv["resume-file"] === undefined ? undefined : resolve(argv["resume-file"]),
    allVersions: argv["all-versions"],
    multipartThreshold: integerIn(
      argv["multipart-threshold"],
      5 * 1024 ** 2,
      MAX_COPY_OBJECT_BYTES,
      "--multipart-threshold",
    ),
    partConcurrency: integerIn(argv["part-concurrency"], 1, 64, "--part-concurrency"),
    conditionalWrite: argv["conditional-write"],
    json: argv.json,
    keys: keyConfig(argv),
    s3: s3AccessConfig(argv, env),
  };
}

export function rewrapHandler(argv: RewrapArgs): Promise<void> {
  return runTool("rewrap", async () => {
    refuseKeysFlag(process.argv);
    const request = rewrapRequest(argv);
    const { runRewrapCommand } = await import("./runRewrapCommand.ts");
    await runRewrapCommand(request);
  });
}
