/**
 * Runs a tool command's body and turns a failure into one line on stderr, `s3proxy <command>: <code>: <message>`,
 * and exit status 1 (unless the body chose another status). Codes are the typed errors' (ToolError, CryptoError,
 * KeyProviderError, S3's error names); messages of those never carry key bytes.
 */
import { errorCode } from "./ToolError.ts";

export async function runTool(command: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`s3proxy ${command}: ${errorCode(err)}: ${message}\n`);
    if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = 1;
  }
}
