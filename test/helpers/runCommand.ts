/**
 * Runs a real client (AWS CLI, rclone, s3cmd, python3 with boto3, a script) as a child process and collects what
 * it printed. Resolves with the exit code whatever it is, so tests can assert on failures; rejects only if the
 * command cannot start, or is still running after `timeoutMs` (it is killed, and the error shows the ends of
 * its output). stdin is always a pipe, closed at once when there is no input, so no command waits on a terminal.
 */
import { spawn } from "node:child_process";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  /** The child's whole environment (see cleanClientEnv); default: this process's. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin, which is then closed; without it stdin is empty. */
  input?: string | Buffer;
  /** Default 120 s. */
  timeoutMs?: number;
}

export function runCommand(
  cmd: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: options.env ?? process.env,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (timedOut) {
        const tails = `stdout: ${stdout.slice(-1000)}\nstderr: ${stderr.slice(-2000)}`;
        reject(new Error(`${cmd} ${args.join(" ")} timed out after ${timeoutMs} ms\n${tails}`));
      } else {
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      }
    });
    // A command that exits before reading all input must not crash the test with EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input);
  });
}

/** The exit code and the tails of both outputs, for assertion messages. */
export function explainCommand(r: CommandResult): string {
  return `exit ${r.code}\nstdout: ${r.stdout.slice(-2000)}\nstderr: ${r.stderr.slice(-3000)}`;
}
