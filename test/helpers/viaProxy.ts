/**
 * Client side of the forward proxy for Node tests, done by hand (CONNECT, then TLS over the tunnel) so the
 * test controls exactly which CA is trusted and sees the certificate the client was shown.
 */
import { request } from "node:http";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { sendRequest, type SimpleResponse } from "./sendRequest.ts";

export type { SimpleResponse } from "./sendRequest.ts";

export interface ConnectResult {
  status: number;
  socket: Socket;
  /** Raw response head and any body the proxy sent (for refusals). */
  head: string;
}

/**
 * Sends `CONNECT authority` to the proxy over a raw socket (Node's http client leaves a CONNECT socket in a
 * state where a later FIN from the proxy can go unnoticed) and resolves with the status and the socket — paused,
 * so no tunnelled byte is lost before the caller reads — and for a refusal, `head` holds the whole answer.
 */
export function connectVia(proxyPort: number, authority: string): Promise<ConnectResult> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(proxyPort, "127.0.0.1");
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
    let buffered = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      buffered = Buffer.concat([buffered, d]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end === -1) return;
      const head = buffered.subarray(0, end).toString("latin1");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      socket.removeListener("data", onData);
      socket.removeListener("error", reject);
      if (status === 200) {
        socket.pause();
        const rest = buffered.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        resolve({ status, socket, head });
        return;
      }
      // A refusal: collect the body until the proxy closes the connection.
      let all = buffered.toString("latin1");
      socket.on("data", (more: Buffer) => (all += more.toString("latin1")));
      socket.once("close", () => resolve({ status, socket, head: all }));
    };
    socket.on("data", onData);
    socket.once("error", reject);
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

/** One HTTP/1.1 request over an established (TLS) socket. */
export async function requestOver(
  socket: Socket,
  opts: {
    method?: string;
    path: string;
    host: string;
    headers?: Record<string, string | number>;
    body?: Buffer;
  },
): Promise<SimpleResponse> {
  const req = request({
    createConnection: () => socket,
    method: opts.method ?? "GET",
    path: opts.path,
    headers: { host: opts.host, ...opts.headers },
  });
  return await sendRequest(req, opts.body);
}
