/**
 * One re-signed upstream exchange whose answer is a small XML document the proxy must read or rewrite before
 * the client sees it (CreateMultipartUpload's UploadId, ListParts' sizes), rather than stream: the request body
 * is at most a small buffer, and the response body is collected up to `limit` bytes (S3 documents of this kind
 * are kilobytes; anything far larger is refused as a broken upstream, never buffered without bound).
 */
import type { ServerResponse } from "node:http";
import { ProxyError } from "../errors/ProxyError.ts";
import type { RawHeaders } from "../http/hopByHop.ts";
import type { Exchange } from "./Exchange.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { openResignedRequest } from "./s3StepResign.ts";

export interface UpstreamDocument {
  status: number;
  statusMessage: string | undefined;
  rawHeaders: RawHeaders;
  body: Buffer;
}

export interface DocumentRequest {
  method: string;
  region: string | undefined;
  headers: RawHeaders;
  /** The raw query to send (default: the client's). */
  query?: string;
  body?: Buffer;
  /** Largest response body accepted. */
  limit: number;
  /** The error for a larger answer (default ProxyUpstreamFailed). */
  tooLarge?: () => ProxyError;
}

export async function fetchUpstreamDocument(
  ex: Exchange,
  deps: S3StepDeps,
  input: DocumentRequest,
): Promise<UpstreamDocument> {
  const upstream = await openResignedRequest(ex, deps, {
    method: input.method,
    region: input.region,
    headers: input.headers,
    ...(input.query === undefined ? {} : { query: input.query }),
  });
  return new Promise<UpstreamDocument>((resolve, reject) => {
    const fail = (err: ProxyError): void => {
      upstream.destroy();
      reject(err);
    };
    upstream.on("error", (err) =>
      fail(
        new ProxyError("ServiceUnavailable", "The upstream endpoint could not be reached.", { cause: err }),
      ),
    );
    upstream.on("response", (upRes) => {
      const chunks: Buffer[] = [];
      let size = 0;
      upRes.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > input.limit) {
          fail(
            input.tooLarge?.() ??
              new ProxyError("ProxyUpstreamFailed", `The upstream answer exceeds ${input.limit} bytes.`),
          );
          return;
        }
        chunks.push(chunk);
      });
      upRes.on("error", (err) =>
        fail(new ProxyError("ProxyUpstreamFailed", "The upstream answer broke off.", { cause: err })),
      );
      upRes.on("close", () => {
        if (!upRes.complete) fail(new ProxyError("ProxyUpstreamFailed", "The upstream answer broke off."));
      });
      upRes.on("end", () =>
        resolve({
          status: upRes.statusCode ?? 502,
          statusMessage: upRes.statusMessage,
          rawHeaders: upRes.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
    });
    upstream.end(input.body);
  });
}

/** Answers the client with a complete document (headers already filtered, Content-Length set here). */
export function sendDocument(
  res: ServerResponse,
  status: number,
  statusMessage: string | undefined,
  headers: RawHeaders,
  body: Buffer,
): void {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if ((headers[i] ?? "").toLowerCase() === "content-length") continue;
    out.push(headers[i] ?? "", headers[i + 1] ?? "");
  }
  out.push("Content-Length", String(body.length));
  res.writeHead(status, statusMessage, out);
  res.end(res.req.method === "HEAD" ? undefined : body);
}
