/**
 * A plain-HTTP relay between the proxy under test and an S3 endpoint that logs every exchange: method, target,
 * the Range and If-Match the proxy sent, the status, and how many body bytes the endpoint sent back. Requests
 * and responses are forwarded byte for byte (raw headers, Host included, so SigV4 signatures still verify), so
 * tests can assert what a read cost upstream.
 */
import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface RelayedExchange {
  method: string;
  target: string;
  range: string | undefined;
  ifMatch: string | undefined;
  status: number;
  /** Response body bytes received from the endpoint so far. */
  bytes: number;
}

export interface CountingRelay {
  /** `http://127.0.0.1:<port>`, for the proxy's --upstream-endpoint. */
  url: string;
  log: RelayedExchange[];
  stop(): Promise<void>;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
};

export async function startCountingRelay(endpoint: string): Promise<CountingRelay> {
  const to = new URL(endpoint);
  const log: RelayedExchange[] = [];
  const server = createServer((req, res) => {
    const entry: RelayedExchange = {
      method: req.method ?? "",
      target: req.url ?? "",
      range: header(req, "range"),
      ifMatch: header(req, "if-match"),
      status: 0,
      bytes: 0,
    };
    log.push(entry);
    const up = request({
      host: to.hostname,
      port: to.port,
      method: req.method,
      path: req.url,
      headers: req.rawHeaders,
      setHost: false,
    });
    up.on("response", (upRes) => {
      entry.status = upRes.statusCode ?? 0;
      res.writeHead(entry.status, upRes.statusMessage, upRes.rawHeaders);
      upRes.on("data", (chunk: Buffer) => (entry.bytes += chunk.length));
      upRes.pipe(res);
      res.on("close", () => upRes.destroy());
    });
    up.on("error", () => res.destroy());
    req.on("error", () => up.destroy());
    res.on("close", () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
