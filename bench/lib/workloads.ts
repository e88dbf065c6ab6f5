/**
 * What is measured on each route, and how one measured run is sampled: wall time, and CPU time of the proxy
 * (from /proc, see procStats.ts), the origin (likewise) and this client process (process.cpuUsage) across
 * exactly the run's requests. Requests carry SigV4-shaped headers so the proxy parses a realistic header block;
 * nothing is signed (the origin checks nothing), and nothing here asserts anything about timing.
 */
import { ciphertextLength } from "../../src/crypto/index.ts";
import { cpuSeconds, ioCounters, minorFaults, type IoCounters } from "./procStats.ts";
import type { RawHttpConnection } from "./rawHttp.ts";

export interface Probes {
  proxyPid: number | undefined;
  originPid: number;
}

export interface RunResult {
  /** Payload bytes moved (bodies only). */
  bytes: number;
  requests: number;
  /** Per-request latency (request written → response fully read), ms. */
  latenciesMs: number[];
}

export interface Sample extends RunResult {
  wallS: number;
  proxyCpuS: number | undefined;
  /** The proxy's read/write system calls during the run. */
  proxyIo: IoCounters | undefined;
  proxyMinorFaults: number | undefined;
  originCpuS: number;
  clientCpuS: number;
}

export interface Workload {
  readonly name: string;
  /** bulk: one large body per run (MiB/s, CPU-s/GiB); small: many requests per run (µs/request, latency). */
  readonly kind: "bulk" | "small";
  /** One run on an open keep-alive connection; `warmup` runs may be shorter. */
  run(conn: RawHttpConnection, host: string, warmup: boolean): Promise<RunResult>;
}

const AUTH =
  "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261201/us-east-1/s3/aws4_request, " +
  "SignedHeaders=host;x-amz-content-sha256;x-amz-date, " +
  "Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024";

function head(method: string, path: string, host: string, extra: string[] = []): string {
  return [
    `${method} ${path} HTTP/1.1`,
    `Host: ${host}`,
    "User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12 s3proxy-bench",
    "Accept-Encoding: identity",
    "X-Amz-Date: 20261201T000000Z",
    "X-Amz-Content-SHA256: UNSIGNED-PAYLOAD",
    `Authorization: ${AUTH}`,
    ...extra,
  ].join("\r\n");
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function measure(probes: Probes, work: () => Promise<RunResult>): Promise<Sample> {
  const pid = probes.proxyPid;
  const proxy0 = pid === undefined ? 0 : cpuSeconds(pid);
  const io0 = pid === undefined ? undefined : ioCounters(pid);
  const faults0 = pid === undefined ? 0 : minorFaults(pid);
  const origin0 = cpuSeconds(probes.originPid);
  const client0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = await work();
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const client = process.cpuUsage(client0);
  const io1 = pid === undefined ? undefined : ioCounters(pid);
  return {
    ...result,
    wallS,
    proxyCpuS: pid === undefined ? undefined : cpuSeconds(pid) - proxy0,
    proxyMinorFaults: pid === undefined ? undefined : minorFaults(pid) - faults0,
    proxyIo:
      io0 && io1
        ? {
            readCalls: io1.readCalls - io0.readCalls,
            readBytes: io1.readBytes - io0.readBytes,
            writeCalls: io1.writeCalls - io0.writeCalls,
            writeBytes: io1.writeBytes - io0.writeBytes,
          }
        : undefined,
    originCpuS: cpuSeconds(probes.originPid) - origin0,
    clientCpuS: (client.user + client.system) / 1e6,
  };
}

/** Warm-up transfers are capped: they only need to warm the JIT, TLS sessions and the upstream pool. */
const WARMUP_MAX = 64 * 2 ** 20;

export function largeGet(size: number): Workload {
  return {
    name: "GET",
    kind: "bulk",
    async run(conn, host, warmup) {
      const n = warmup ? Math.min(size, WARMUP_MAX) : size;
      let bytes = 0;
      const ms = await timed(async () => {
        const res = await conn.request(head("GET", `/bytes/${n}`, host));
        if (res.status !== 200 || res.bodyBytes !== n)
          throw new Error(`GET: status ${res.status}, ${res.bodyBytes} of ${n} bytes`);
        bytes = res.bodyBytes;
      });
      return { bytes, requests: 1, latenciesMs: [ms] };
    },
  };
}

export function largePut(size: number, source: Buffer): Workload {
  return {
    name: "PUT",
    kind: "bulk",
    async run(conn, host, warmup) {
      const n = warmup ? Math.min(size, WARMUP_MAX) : size;
      const ms = await timed(async () => {
        const res = await conn.request(
          head("PUT", "/bench-object", host, [
            "Content-Type: application/octet-stream",
            `Content-Length: ${n}`,
          ]),
          { source, length: n },
        );
        // The encrypted route stores ciphertext: the plaintext plus 32 bytes per 64 KiB record.
        const received = Number(res.headers.get("x-received-bytes"));
        if (res.status !== 200 || (received !== n && received !== ciphertextLength(n, 16)))
          throw new Error(`PUT: status ${res.status}, origin received ${received} of ${n} bytes`);
      });
      return { bytes: n, requests: 1, latenciesMs: [ms] };
    },
  };
}

export function smallGets(count: number, size: number): Workload {
  return {
    name: `${count} × ${size / 1024} KiB GET`,
    kind: "small",
    async run(conn, host) {
      const latenciesMs: number[] = [];
      const request = head("GET", `/bytes/${size}`, host);
      for (let i = 0; i < count; i++) {
        latenciesMs.push(
          await timed(async () => {
            const res = await conn.request(request);
            if (res.status !== 200 || res.bodyBytes !== size)
              throw new Error(`small GET: status ${res.status}, ${res.bodyBytes} of ${size} bytes`);
          }),
        );
      }
      return { bytes: count * size, requests: count, latenciesMs };
    },
  };
}
