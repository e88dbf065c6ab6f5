/**
 * How integration tests find the shared real-S3 rig: test/run.ts starts radosgw once per run and passes its
 * descriptor to every test process in one environment variable. A test file run outside `npm test` fails with
 * a message saying so, instead of silently skipping.
 */
export const RIG_ENV = "S3RIG_DESCRIPTOR";

export interface RigDescriptor {
  /** Plain-HTTP endpoint, e.g. http://127.0.0.1:PORT */
  httpEndpoint: string;
  /** TLS endpoint, e.g. https://127.0.0.1:PORT; its certificate chains to `caFile`. */
  httpsEndpoint: string;
  /** PEM file of the throwaway test CA that signed radosgw's certificate. */
  caFile: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A scratch directory owned by this run (deleted on teardown). */
  scratchDir: string;
}

export function rigFromEnv(): RigDescriptor {
  const raw = process.env[RIG_ENV];
  if (!raw) {
    throw new Error(
      `${RIG_ENV} is not set: integration tests need the radosgw rig; run them through \`npm test\` ` +
        "or `node --import tsx test/run.ts <file>`",
    );
  }
  return JSON.parse(raw) as RigDescriptor;
}

let counter = 0;
/** A bucket name unique to this process and call, valid for S3 (lowercase, digits, hyphens, 3-63 chars). */
export function uniqueBucket(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`.toLowerCase().slice(0, 63);
}
