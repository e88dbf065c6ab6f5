#!/usr/bin/env node
import process from "node:process";
// Entry point for the `s3proxy` bin: the compiled CLI (`npm run build`, which `npm ci` runs via `prepare`).
try {
  await import("../dist/cli.js");
} catch (err) {
  if (err?.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/cli.js")) {
    process.stderr.write("s3proxy is not built yet: run `npm run build` (or `npm ci`) in its directory\n");
    process.exit(1);
  }
  throw err;
}
