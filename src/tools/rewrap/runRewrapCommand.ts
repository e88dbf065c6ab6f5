/**
 * The I/O shell of `s3proxy rewrap`: keys and S3 client, SIGINT/SIGTERM (the first stops starting new objects
 * and lets the running ones finish, so the resume file is exact; a second one exits at once, and the resume file
 * as last saved is still valid), progress on stderr, the summary on stdout, and the exit status.
 */
import { loadKeyRing } from "../../cli/loadKeyRing.ts";
import { createToolS3Client } from "../createToolS3Client.ts";
import { EXIT_INTERRUPTED, EXIT_PROBLEMS, type RewrapRequest } from "./rewrapCommand.ts";
import { barProgress, lineProgress, type RewrapProgress } from "./rewrapProgress.ts";
import { runRewrap } from "./runRewrap.ts";
import { formatRewrapSummary, type RewrapTally } from "./RewrapTally.ts";

export async function runRewrapCommand(request: RewrapRequest): Promise<void> {
  const keys = await loadKeyRing(request.keys, { createDevelopmentKey: false });
  const s3 = await createToolS3Client(request.s3, request.concurrency * request.partConcurrency + 2);
  const abort = new AbortController();
  let progress: RewrapProgress | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (abort.signal.aborted) process.exit(EXIT_INTERRUPTED);
    progress?.note(
      `${signal}: finishing the objects in flight, then saving progress (again to quit at once)`,
    );
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const summary = await runRewrap({
      ...request,
      s3,
      keys,
      signal: abort.signal,
      progress: async (tally: RewrapTally) => {
        progress = process.stderr.isTTY
          ? await barProgress(tally, process.stderr)
          : lineProgress(request.bucket, (line) => process.stderr.write(line));
        return progress;
      },
    });
    process.stdout.write(
      request.json ? `${JSON.stringify(summary, null, 2)}\n` : formatRewrapSummary(summary),
    );
    if (summary.interrupted) process.exitCode = EXIT_INTERRUPTED;
    else if (summary.failed + summary.refused > 0) process.exitCode = EXIT_PROBLEMS;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    s3.destroy();
  }
}
