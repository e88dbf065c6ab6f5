/**
 * The compiled CLI (`dist/cli.js`, from `npm run build`) for everything that runs the proxy as its own process
 * (tests, benchmarks, the demo). They measure the proxy as it ships: plain JavaScript, no TypeScript loader in
 * the process (tsx's loader thread alone costs ~30 MiB of RSS). A stale build would silently test old code, so
 * it is refused.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const BUILT_CLI = join(ROOT, "dist", "cli.js");

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Written by `npm run build` after tsc succeeded (incremental tsc leaves unchanged outputs untouched). */
const STAMP = join(ROOT, "dist", ".built");

/** Path of `dist/cli.js`; throws if it is missing or the last build is older than any file under `src/`. */
export function builtCli(): string {
  let built: number;
  try {
    statSync(BUILT_CLI);
    built = statSync(STAMP).mtimeMs;
  } catch {
    throw new Error(`${BUILT_CLI} is missing: run \`npm run build\` first (npm test does)`);
  }
  if (newestMtimeMs(join(ROOT, "src")) > built) {
    throw new Error(`${BUILT_CLI} is older than src/: run \`npm run build\` first (npm test does)`);
  }
  return BUILT_CLI;
}
