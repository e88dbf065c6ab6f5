/**
 * The usual setting of an integration test file: the encrypting proxy as a child process in front of the radosgw
 * rig (startEncryptingProxy), a scratch directory for its key file and the test's own files, an SDK client
 * through the proxy and one straight to radosgw. Call it at the top level of a test file: it registers the
 * before() that starts all of it and the after() that stops it again. Tests can use the fields directly; a
 * file's own top-level before() must `await enc.ready` first, because Node 20 starts the root's before hooks
 * without waiting for the earlier ones.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import type { S3Client } from "@aws-sdk/client-s3";
import type { RigDescriptor } from "../rig/rigEnv.ts";
import { directClient, startEncryptingProxy } from "./encryptedRig.ts";
import { proxiedS3Client } from "./proxiedS3Client.ts";
import type { ProxyProcess } from "./proxyProcess.ts";

export interface EncryptingProxy {
  /** Settles when the fixture's before() has finished (rejects if it failed). */
  readonly ready: Promise<void>;
  /** The rig behind the proxy (so the fixture also serves as `{ rig, proxy, work }` to the client helpers). */
  readonly rig: RigDescriptor;
  /** Scratch directory; the proxy's key file lives under it (proxyKeyFile). */
  readonly work: string;
  readonly proxy: ProxyProcess;
  /** An application's client, through the proxy (proxiedS3Client). */
  readonly viaProxy: S3Client;
  /** Straight to radosgw, trusting only the rig CA (directClient): sees what is stored. */
  readonly direct: S3Client;
}

export interface EncryptingProxyOptions {
  /** Passed to startEncryptingProxy (extra `serve` arguments, another upstream). */
  proxy?: Parameters<typeof startEncryptingProxy>[2];
  /** The credentials viaProxy signs with; default the rig's (the proxy re-signs with the rig's either way). */
  clientCredentials?: Pick<RigDescriptor, "accessKeyId" | "secretAccessKey">;
}

/** `name` tells the scratch directory apart: `$TMPDIR/s3proxy-<name>-XXXXXX`. */
export function withEncryptingProxy(
  rig: RigDescriptor,
  name: string,
  options: EncryptingProxyOptions = {},
): EncryptingProxy {
  let work: string | undefined;
  let proxy: ProxyProcess | undefined;
  let viaProxy: S3Client | undefined;
  let direct: S3Client | undefined;
  let started!: { resolve: () => void; reject: (err: unknown) => void };
  const ready = new Promise<void>((resolve, reject) => (started = { resolve, reject }));
  // Nobody may await it (a file without its own before()): a failure is reported by the hook itself.
  ready.catch(() => undefined);
  before(async () => {
    try {
      work = await mkdtemp(join(tmpdir(), `s3proxy-${name}-`));
      proxy = await startEncryptingProxy(rig, work, options.proxy);
      viaProxy = await proxiedS3Client({ ...rig, ...options.clientCredentials }, proxy);
      direct = await directClient(rig);
      started.resolve();
    } catch (err) {
      started.reject(err);
      throw err;
    }
  });
  after(async () => {
    viaProxy?.destroy();
    direct?.destroy();
    await proxy?.stop();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });
  const present = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`withEncryptingProxy: ${what} is not there before its before() ran`);
    return value;
  };
  return {
    rig,
    ready,
    get work() {
      return present(work, "work");
    },
    get proxy() {
      return present(proxy, "proxy");
    },
    get viaProxy() {
      return present(viaProxy, "viaProxy");
    },
    get direct() {
      return present(direct, "direct");
    },
  };
}
