/** Sends a prepared node:http(s) request and collects the whole answer, for tests that look at raw responses. */
import type { ClientRequest, IncomingMessage } from "node:http";

export interface SimpleResponse {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** Ends `req` with `body` and resolves with the status, headers and body of its response. */
export function sendRequest(req: ClientRequest, body?: Buffer): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
