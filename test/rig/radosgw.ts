/**
 * The real-S3 test rig: a throwaway Ceph cluster (one mon, one in-memory OSD) with radosgw in front, all on
 * 127.0.0.1 and all state in one temp dir, so it verifies SigV4 exactly like S3 does and two rigs can run side by
 * side. Nothing under /etc/ceph, /var/lib/ceph or /var/run/ceph is read or written: every path is in ceph.conf
 * and every command gets `-c ceph.conf`.
 *
 * Bring-up (see docs in /work/shared/NOTES.md §3): test CA + server cert (openssl CLI) → ceph.conf → monmap →
 * mon mkfs + start → `osd new` → osd mkfs + start → rgw user → zonegroup hostnames → radosgw (beast, HTTP+TLS).
 * Daemons run in the foreground (`-f`) as our children, each in its own process group, so stop() and the
 * process 'exit' hook can kill them; where util-linux `setpriv` exists they also get a parent-death signal, so a
 * SIGKILLed test runner does not leave daemons behind either.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import {
  accessSync,
  appendFileSync,
  closeSync,
  constants,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { RigDescriptor } from "./rigEnv.ts";

export interface S3Rig {
  descriptor: RigDescriptor;
  httpsEndpoint: string;
  stop(): Promise<void>;
}

const REGION = "us-east-1";
const RGW_NAME = "client.rgw.s3proxy";
/** Host names radosgw treats as "the S3 endpoint", so `<bucket>.<name>` Host headers address buckets. */
const S3_HOSTNAMES = ["s3.amazonaws.com", "s3.us-east-1.amazonaws.com"];
const CERT_SANS = [
  "IP:127.0.0.1",
  "DNS:localhost",
  ...S3_HOSTNAMES.flatMap((h) => [`DNS:${h}`, `DNS:*.${h}`]),
].join(",");
const REQUIRED_BINARIES = [
  "ceph-mon",
  "ceph-osd",
  "radosgw",
  "radosgw-admin",
  "monmaptool",
  "ceph",
  "openssl",
] as const;
const INSTALL_HINT =
  "`.ci/run` installs it (or `apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common`)";

/** Bounded waits; generous enough for a loaded 2-core CI box, short enough to fail fast when wedged. */
const COMMAND_TIMEOUT_MS = 60_000;
const OSD_UP_TIMEOUT_MS = 60_000;
const ENDPOINT_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 3_000;
const DIR_PREFIX = "s3proxy-rig-";
/** Pids of the rig's daemons, for sweepOrphans() after a crash of the process that started them. */
const DAEMON_PIDS = "daemons.pid";

interface Daemon {
  name: string;
  child: ChildProcess;
  logFile: string;
}

/** One rig's files and the daemons started so far (registered at spawn, so a failed step still stops them). */
interface Rig {
  dir: string;
  conf: string;
  logDir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  daemons: Daemon[];
}

// ---------------------------------------------------------------------------------------------------------------
// Small process helpers

/** Finds an executable on PATH (plus the sbin dirs, which a non-login root shell may lack). */
function which(bin: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
  for (const dir of dirs) {
    if (!dir) continue;
    const full = join(dir, bin);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

function requireBinaries(): void {
  for (const bin of REQUIRED_BINARIES) {
    if (!which(bin)) throw new Error(`radosgw rig: \`${bin}\` not found on PATH; ${INSTALL_HINT}`);
  }
}

/** Ceph honours CEPH_ARGS/CEPH_CONF from the environment; a stray one would point us at /etc/ceph. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("CEPH_")) delete env[key];
  return env;
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function readTail(file: string, lines = 40): string {
  try {
    return tail(readFileSync(file, "utf8"), lines);
  } catch {
    return `(no ${file})`;
  }
}

/** Runs a short-lived command to completion (no stdin, bounded time) and returns its stdout. */
function run(cmd: string, args: string[], timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: childEnv() });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString("utf8");
      if (code === 0) return resolve(stdout);
      const why = signal === "SIGKILL" ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
      const stderr = tail(Buffer.concat(err).toString("utf8") || stdout, 20);
      reject(new Error(`radosgw rig: \`${cmd} ${args.join(" ")}\` ${why}:\n${stderr}`));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns true, `timeoutMs` passes or `daemon` exits (no point waiting for a dead one).
 * The error carries the last probe failure and `describe()`, i.e. what the relevant logs say.
 */
async function waitFor(
  what: string,
  timeoutMs: number,
  daemon: Daemon,
  check: () => Promise<boolean>,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "not ready";
  for (;;) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    const why = hasExited(daemon)
      ? `${daemon.name} exited before ${what} was ready`
      : Date.now() > deadline
        ? `${what} not ready after ${timeoutMs / 1000} s`
        : undefined;
    if (why) throw new Error(`radosgw rig: ${why} (last probe: ${last})\n${describe()}`);
    await sleep(100);
  }
}

/** Free 127.0.0.1 ports, held open together while choosing so the same one is not handed out twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

// ---------------------------------------------------------------------------------------------------------------
// Daemons: started in the foreground as our children, each its own process group

const live = new Set<Daemon>();
/** Rig dirs not yet removed by stop(). */
const liveDirs = new Set<string>();

/** Last-chance cleanup when the runner exits without calling stop(): 'exit' handlers must be synchronous. */
function cleanupSync(): void {
  for (const d of live) killGroup(d, "SIGKILL");
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
}
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  process.on("exit", cleanupSync);
  exitHookInstalled = true;
}

function hasExited(d: Daemon): boolean {
  return d.child.exitCode !== null || d.child.signalCode !== null;
}

function killGroup(d: Daemon, signal: NodeJS.Signals): void {
  if (d.child.pid === undefined || hasExited(d)) return;
  try {
    process.kill(-d.child.pid, signal);
  } catch {
    // already gone
  }
}

function startDaemon(p: Rig, name: string, cmd: string, args: string[]): Daemon {
  const logFile = join(p.logDir, `${name}.out`);
  const fd = openSync(logFile, "a", 0o600);
  // setpriv --pdeathsig: the kernel SIGKILLs the daemon if this process dies without running its exit hooks.
  const setpriv = which("setpriv");
  const [file, argv] = setpriv ? [setpriv, ["--pdeathsig", "KILL", "--", cmd, ...args]] : [cmd, args];
  try {
    const child = spawn(file, argv, { stdio: ["ignore", fd, fd], detached: true, env: childEnv() });
    // The rig must not keep the event loop alive on its own; the exit hook reaps it instead.
    child.unref();
    child.on("error", () => undefined); // surfaced by the readiness wait, with the log tail
    const d: Daemon = { name, child, logFile };
    live.add(d);
    p.daemons.push(d);
    if (child.pid !== undefined) appendFileSync(join(p.dir, DAEMON_PIDS), `${child.pid}\n`);
    child.once("exit", () => live.delete(d));
    return d;
  } finally {
    closeSync(fd);
  }
}

function exited(d: Daemon, timeoutMs: number): Promise<boolean> {
  if (hasExited(d)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    d.child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopDaemon(d: Daemon): Promise<void> {
  killGroup(d, "SIGTERM");
  if (!(await exited(d, STOP_GRACE_MS))) {
    killGroup(d, "SIGKILL");
    await exited(d, STOP_GRACE_MS);
  }
  live.delete(d);
}

function daemonTail(d: Daemon, cephLog: string): string {
  const state = hasExited(d)
    ? `${d.name} exited (${d.child.exitCode ?? d.child.signalCode})`
    : `${d.name} still running`;
  // The tail fills up with our own readiness probes; errors logged at startup would scroll out of it.
  let errors = "";
  try {
    const lines = readFileSync(cephLog, "utf8").split("\n");
    // Probes repeat the same complaint every 100 ms: keep each distinct message once (minus time and thread).
    const distinct = new Set(
      lines.filter((l) => / -1 |error|fail/i.test(l)).map((l) => l.split(" ").slice(2).join(" ")),
    );
    errors = [...distinct].slice(-15).join("\n");
  } catch {
    // no log yet: the tails below say so
  }
  return [
    state,
    `--- error lines in ${cephLog} ---`,
    errors || "(none)",
    `--- tail of ${cephLog} ---`,
    readTail(cephLog, 25),
    `--- tail of ${d.logFile} ---`,
    readTail(d.logFile, 15),
  ].join("\n");
}

/**
 * A runner that was SIGKILLed cannot clean up: the next rig removes its dir once the owner is gone, after killing
 * any daemon still running from it (only when setpriv was missing, as otherwise the kernel killed them).
 */
function sweepOrphans(baseDir: string): void {
  let names: string[];
  try {
    names = readdirSync(baseDir).filter((n) => n.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(baseDir, name);
    try {
      const owner = Number(readFileSync(join(dir, "owner.pid"), "utf8"));
      if (!Number.isInteger(owner) || owner <= 0 || pidAlive(owner)) continue;
      killOrphanedDaemons(dir);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours, or another process is creating/removing it right now
    }
  }
}

function killOrphanedDaemons(dir: string): void {
  let pids: number[];
  try {
    pids = readFileSync(join(dir, DAEMON_PIDS), "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      // Pids get reused: only kill a process whose command line still names this rig's dir.
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir)) continue;
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Bring-up steps

async function makeCerts(p: Rig): Promise<void> {
  const caKey = join(p.dir, "ca-key.pem");
  const csr = join(p.dir, "rgw.csr");
  const ext = join(p.dir, "rgw-ext.cnf");
  // prettier-ignore
  await run("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
    "-subj", "/CN=s3proxy throwaway test CA", "-keyout", caKey, "-out", p.caFile,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  // prettier-ignore
  await run("openssl", [
    "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
    "-keyout", p.keyFile, "-out", csr,
  ]);
  await writeFile(
    ext,
    `subjectAltName=${CERT_SANS}\nbasicConstraints=CA:FALSE\n` +
      "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
  );
  // prettier-ignore
  await run("openssl", [
    "x509", "-req", "-sha256", "-days", "2", "-in", csr, "-CA", p.caFile, "-CAkey", caKey,
    "-set_serial", `0x${randomBytes(8).toString("hex")}`, "-extfile", ext, "-out", p.certFile,
  ]);
  await Promise.all([chmod(caKey, 0o600), chmod(p.keyFile, 0o600)]);
}

function cephConf(
  p: Rig,
  fsid: string,
  ports: { monV1: number; monV2: number; http: number; https: number },
) {
  const d = p.dir;
  return `# Generated by test/rig/radosgw.ts for one test run; everything lives under ${d}.
[global]
fsid = ${fsid}
mon host = [v2:127.0.0.1:${ports.monV2},v1:127.0.0.1:${ports.monV1}]
mon initial members = a
# Without these the OSD binds 0.0.0.0.
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
# No cephx for a loopback throwaway; "none" also needs crc modes or radosgw hangs ~300 s.
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = true
mon warn on insecure global id reclaim allowed = false
ms mon client mode = crc
ms client mode = crc
ms service mode = crc
ms cluster mode = crc
# Keep every file inside the rig dir so nothing in /etc/ceph, /var/lib/ceph or /var/run/ceph is needed.
run dir = ${d}/run
admin socket = ${d}/run/$name.asok
pid file = ${d}/run/$name.pid
log file = ${d}/log/$name.log
mon cluster log file = ${d}/log/cluster.log
crash dir = ${d}/crash
keyring = ${d}/keyring
mon data = ${d}/mon/$cluster-$id
osd data = ${d}/osd/$cluster-$id
mgr data = ${d}/mgr/$cluster-$id
rgw data = ${d}/rgw
# One in-memory OSD: data lives in RAM and dies with the rig.
osd objectstore = memstore
memstore device bytes = 4294967296
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon allow pool delete = true
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon warn on pool no redundancy = false
# /tmp may be fairly full on CI; a mon refuses to run below 5 % free by default.
mon data avail crit = 1
mon data avail warn = 2
# Each osdmap change (OSD boot, every pool radosgw creates) waits one propose interval (default 1 s).
paxos propose interval = 0.05
# The OSD waits up to 5 s for the mon to acknowledge a shutdown; nobody needs that here.
osd fast shutdown notify mon = false

[${RGW_NAME}]
rgw frontends = beast endpoint=127.0.0.1:${ports.http} ssl_endpoint=127.0.0.1:${ports.https} ssl_certificate=${p.certFile} ssl_private_key=${p.keyFile}
# Fail in 30 s, not the default 300 s, when radosgw cannot reach the cluster.
rgw init timeout = 30
`;
}

async function startMon(p: Rig, fsid: string, monV1: number, monV2: number): Promise<void> {
  const monmap = join(p.dir, "monmap");
  const addrs = `[v2:127.0.0.1:${monV2},v1:127.0.0.1:${monV1}]`;
  await run("monmaptool", ["-c", p.conf, "--create", "--fsid", fsid, "--addv", "a", addrs, monmap]);
  await run("ceph-mon", ["-c", p.conf, "-i", "a", "--mkfs", "--monmap", monmap]);
  startDaemon(p, "mon.a", "ceph-mon", ["-c", p.conf, "-i", "a", "-f"]);
}

async function osdUp(p: Rig): Promise<boolean> {
  const out = await run(
    "ceph",
    ["-c", p.conf, "--connect-timeout", "5", "osd", "stat", "-f", "json"],
    10_000,
  );
  const stat = JSON.parse(out) as { num_up_osds?: number };
  return (stat.num_up_osds ?? 0) >= 1;
}

async function startOsd(p: Rig): Promise<void> {
  const uuid = randomUUID();
  // `ceph osd new` is the first call to reach the mon: its connect timeout doubles as the mon readiness wait.
  const id = (await run("ceph", ["-c", p.conf, "--connect-timeout", "30", "osd", "new", uuid])).trim();
  await mkdir(join(p.dir, "osd", `ceph-${id}`), { recursive: true });
  await run("ceph-osd", ["-c", p.conf, "-i", id, "--mkfs", "--osd-uuid", uuid]);
  const osd = startDaemon(p, `osd.${id}`, "ceph-osd", ["-c", p.conf, "-i", id, "-f"]);
  await waitFor(
    `osd.${id}`,
    OSD_UP_TIMEOUT_MS,
    osd,
    () => osdUp(p),
    () => daemonTail(osd, join(p.logDir, `osd.${id}.log`)),
  );
}

/** Creates the S3 user and teaches the zonegroup the AWS host names (needs only the cluster, not radosgw). */
async function configureRgw(p: Rig, accessKeyId: string, secretAccessKey: string): Promise<void> {
  const admin = ["-c", p.conf, "-n", RGW_NAME];
  // prettier-ignore
  await run("radosgw-admin", [
    ...admin, "user", "create", "--uid=s3proxy-test", "--display-name=s3proxy test",
    `--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`,
  ]);
  const zonegroup = JSON.parse(await run("radosgw-admin", [...admin, "zonegroup", "get"])) as {
    hostnames?: string[];
  };
  zonegroup.hostnames = S3_HOSTNAMES;
  const zgFile = join(p.dir, "zonegroup.json");
  await writeFile(zgFile, JSON.stringify(zonegroup));
  await run("radosgw-admin", [...admin, "zonegroup", "set", "--infile", zgFile]);
}

/** Any HTTP answer counts (radosgw only listens once fully initialised); failures reject with the reason. */
function answers(url: string, ca?: Buffer): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const lib = url.startsWith("https:") ? https : http;
    const req = lib.get(url, { agent: false, timeout: 2_000, ...(ca ? { ca } : {}) }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on("error", (e) => reject(new Error(`GET ${url}: ${e.message}`)));
  });
}

// ---------------------------------------------------------------------------------------------------------------

function randomKey(length: number, alphabet: string): string {
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
}

export async function startRadosgw(opts: { baseDir?: string } = {}): Promise<S3Rig> {
  requireBinaries();
  const started = Date.now();
  const baseDir = opts.baseDir ?? tmpdir();
  sweepOrphans(baseDir);
  installExitHook();
  const dir = await mkdtemp(join(baseDir, DIR_PREFIX));
  liveDirs.add(dir);
  await writeFile(join(dir, "owner.pid"), `${process.pid}\n`);
  const p: Rig = {
    dir,
    conf: join(dir, "ceph.conf"),
    logDir: join(dir, "log"),
    caFile: join(dir, "ca.pem"),
    certFile: join(dir, "rgw-cert.pem"),
    keyFile: join(dir, "rgw-key.pem"),
    daemons: [],
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // Reverse start order: radosgw and the OSD go while the mon still answers them.
    for (const d of [...p.daemons].reverse()) await stopDaemon(d);
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  };

  try {
    await Promise.all(
      ["log", "run", "crash", "mon", "osd", "rgw", "scratch"].map((s) => mkdir(join(dir, s))),
    );
    const [monV1, monV2, httpPort, httpsPort] = (await freePorts(4)) as [number, number, number, number];
    const fsid = randomUUID();
    await makeCerts(p);
    await writeFile(p.conf, cephConf(p, fsid, { monV1, monV2, http: httpPort, https: httpsPort }));

    await startMon(p, fsid, monV1, monV2);
    await startOsd(p);

    const accessKeyId = `AKIA${randomKey(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`;
    const secretAccessKey = randomBytes(30).toString("base64");
    await configureRgw(p, accessKeyId, secretAccessKey);

    const rgw = startDaemon(p, "rgw", "radosgw", ["-c", p.conf, "-n", RGW_NAME, "-f"]);
    const httpEndpoint = `http://127.0.0.1:${httpPort}`;
    const httpsEndpoint = `https://127.0.0.1:${httpsPort}`;
    const ca = await readFile(p.caFile);
    const rgwLog = join(p.logDir, `${RGW_NAME}.log`);
    await waitFor(
      "radosgw endpoints",
      ENDPOINT_TIMEOUT_MS,
      rgw,
      async () => (await answers(httpEndpoint)) && (await answers(httpsEndpoint, ca)),
      () => daemonTail(rgw, rgwLog),
    );

    const startupMs = Date.now() - started;
    await writeFile(join(dir, "startup-ms"), `${startupMs}\n`);
    if (process.env.S3PROXY_RIG_VERBOSE) console.error(`# radosgw rig: started in ${startupMs} ms in ${dir}`);
    const descriptor: RigDescriptor = {
      httpEndpoint,
      httpsEndpoint,
      caFile: p.caFile,
      region: REGION,
      accessKeyId,
      secretAccessKey,
      scratchDir: join(dir, "scratch"),
    };
    return { descriptor, httpsEndpoint, stop };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}
