/**
 * Runs a ProxyServer inside the test process on 127.0.0.1 port 0, with its own temp CA dir, a silent
 * logger, and any config overrides. For memory figures use proxyProcess.ts (a separate process) instead.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { DEFAULT_TIMEOUTS, DEFAULTS, type ProxyConfig } from "../../src/config/ProxyConfig.ts";
import { parseAllowPorts } from "../../src/net/routePolicy.ts";
import { passThroughStep } from "../../src/pipeline/passThroughStep.ts";
import type { InterceptStep } from "../../src/pipeline/Exchange.ts";
import { ProxyServer } from "../../src/proxy/ProxyServer.ts";
import { loadOrCreateCa, type LoadedCa } from "../../src/tls/caStore.ts";

export interface InProcessProxy {
  server: ProxyServer;
  port: number;
  transparentPort: number | undefined;
  ca: LoadedCa;
  caDir: string;
  stop(): Promise<void>;
}

export async function startInProcessProxy(
  overrides: Partial<ProxyConfig> & { upstreamCaPem?: string; step?: InterceptStep } = {},
): Promise<InProcessProxy> {
  const base = await mkdtemp(join(tmpdir(), "s3proxy-test-"));
  const caDir = join(base, "ca");
  const ca = await loadOrCreateCa(caDir);
  const { upstreamCaPem, step, ...configOverrides } = overrides;
  const config: ProxyConfig = {
    listen: { host: "127.0.0.1", port: 0 },
    transparentListen: undefined,
    caDir,
    intercept: [],
    defaultIntercept: true,
    allowPorts: parseAllowPorts("*"),
    upstreamEndpoint: undefined,
    upstreamCaFile: undefined,
    passthrough: true,
    maxHeaderBytes: DEFAULTS.maxHeaderBytes,
    timeouts: { ...DEFAULT_TIMEOUTS },
    logLevel: "silent",
    ...configOverrides,
  };
  const server = new ProxyServer({
    config,
    log: pino({ level: process.env.S3PROXY_TEST_LOG ?? "silent" }),
    issuer: ca,
    step: step ?? passThroughStep({ continueTimeoutMs: config.timeouts.expectContinueMs }),
    ...(upstreamCaPem ? { upstreamCaPem } : {}),
  });
  const { forward, transparent } = await server.start();
  return {
    server,
    port: forward.port,
    transparentPort: transparent?.port,
    ca,
    caDir,
    async stop() {
      await server.stop();
      await rm(base, { recursive: true, force: true });
    },
  };
}
