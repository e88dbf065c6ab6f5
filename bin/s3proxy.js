#!/usr/bin/env node
// Entry point for the `s3proxy` bin: registers tsx so the TypeScript sources run without a build step.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
