/**
 * Client side of the forward proxy for Node tests, done by hand (CONNECT, then TLS over the tunnel) so the
 * test controls exactly which CA is trusted and sees the certificate the client was shown.
 */
import { request, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";

export interface ConnectResult {
  status: number;
  socket: Socket;
  /** Raw response head and any body the proxy sent (for refusals). */
  head: string;
}

/** Sends `CONNECT authority` to the proxy and resolves with its answer and the (possibly tunnelled) socket. */
export function connectVia(proxyPort: number, authority: string): Promise<ConnectResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: proxyPort, method: "CONNECT", path: authority });
    req.on("connect", (res: IncomingMessage, socket: Socket) => {
      resolve({ status: res.statusCode ?? 0, socket, head: `${res.statusCode} ${res.statusMessage}` });
    });
    req.on("response", (res: IncomingMessage) => {
      // Refusals arrive as ordinary responses on a CONNECT.
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          socket: res.socket,
          head: `${res.statusCode} ${res.statusMessage}\n${Buffer.concat(chunks).toString()}`,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** CONNECT through the proxy, then a TLS handshake with `servername`, trusting only `ca`. */
export async function tlsVia(
  proxyPort: number,
  authority: string,
  opts: { servername: string; ca: string | string[] },
): Promise<TLSSocket> {
  const { status, socket } = await connectVia(proxyPort, authority);
  if (status !== 200) throw new Error(`CONNECT ${authority} answered ${status}`);
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({ socket, servername: opts.servername, ca: opts.ca, ALPNProtocols: ["http/1.1"] });
    tls.once("secureConnect", () => resolve(tls));
    tls.once("error", reject);
  });
}

export interface SimpleResponse {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** One HTTP/1.1 request over an established (TLS) socket. */
export function requestOver(
  socket: Socket,
  opts: {
    method?: string;
    path: string;
    host: string;
    headers?: Record<string, string | number>;
    body?: Buffer;
  },
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request({
      createConnection: () => socket,
      method: opts.method ?? "GET",
      path: opts.path,
      headers: { host: opts.host, ...opts.headers },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}
