/**
 * The test entry point behind `npm test`: finds every `*.test.ts` under test/, starts the shared real-S3 rig
 * (Ceph radosgw, see test/rig/radosgw.ts) once for the whole run when integration tests are included, runs all
 * files in one `node --test` invocation (so CI reads one summary), then tears the rig down.
 *
 *   node --import tsx test/run.ts            unit + integration (needs radosgw installed: see .ci/run)
 *   node --import tsx test/run.ts --unit     unit tests only, no rig
 *   node --import tsx test/run.ts FILE...    just these files (rig started if any is under test/integration/)
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { startRadosgw, type S3Rig } from "./rig/radosgw.ts";
import { RIG_ENV } from "./rig/rigEnv.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith(".test.ts")) out.push(full);
  }
  return out.sort();
}

const isIntegration = (file: string): boolean => relative(root, file).split(sep).includes("integration");

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unitOnly = args.includes("--unit");
  const explicit = args.filter((a) => !a.startsWith("--")).map((a) => join(process.cwd(), a));
  let files = explicit.length > 0 ? explicit : findTests(join(root, "test"));
  if (unitOnly) files = files.filter((f) => !isIntegration(f));
  if (files.length === 0) {
    console.error("no test files found");
    return 1;
  }

  let rig: S3Rig | undefined;
  const env = { ...process.env };
  if (files.some(isIntegration)) {
    const started = Date.now();
    rig = await startRadosgw();
    console.log(`# radosgw rig up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${rig.httpsEndpoint}`);
    env[RIG_ENV] = JSON.stringify(rig.descriptor);
  }

  const stopRig = async (): Promise<void> => {
    const r = rig;
    rig = undefined;
    if (r) await r.stop();
  };
  const onSignal = (): void => {
    void stopRig().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--test", "--test-reporter=spec", ...files.map((f) => relative(root, f))],
        { cwd: root, env, stdio: "inherit" },
      );
      child.on("error", reject);
      child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    });
    return code;
  } finally {
    await stopRig();
  }
}

process.exitCode = await main();
