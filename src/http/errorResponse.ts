/**
 * The single place where a failure becomes bytes for the client. Requests inside an intercepted S3 exchange
 * get S3's XML error document (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html) so SDKs
 * parse the code and retry as they would against S3; plain proxy requests (CONNECT, absolute-form) get a
 * short text body. When the response has already started, the only honest signal left is to break the
 * connection — a truncated body must never look like a complete one.
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { XMLBuilder } from "fast-xml-parser";
import { toProxyError, type ProxyError } from "../errors/ProxyError.ts";

const xml = new XMLBuilder({ processEntities: true, suppressEmptyNode: false });

export function s3ErrorXml(err: ProxyError, resource: string, requestId: string): string {
  const body = xml.build({
    Error: { Code: err.code, Message: err.message, Resource: resource, RequestId: requestId },
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

export interface ErrorContext {
  requestId: string;
  resource: string;
  /** "s3": S3 XML body (intercepted exchanges); "proxy": text body (the proxy's own responses). */
  style: "s3" | "proxy";
  /** Close the connection after the error (e.g. when the request body was not read). */
  close?: boolean;
}

/** Sends `err` as an error response, or destroys the connection when headers are already out. */
export function sendError(res: ServerResponse, error: unknown, ctx: ErrorContext): ProxyError {
  const err = toProxyError(error);
  if (res.headersSent || res.destroyed) {
    res.destroy(err);
    return err;
  }
  const isHead = res.req.method === "HEAD";
  const body =
    ctx.style === "s3" ? s3ErrorXml(err, ctx.resource, ctx.requestId) : `${err.code}: ${err.message}\n`;
  const headers: Record<string, string | number> = {
    ...err.headers,
    "content-type": ctx.style === "s3" ? "application/xml" : "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "x-amz-request-id": ctx.requestId,
  };
  if (ctx.close) headers.connection = "close";
  res.writeHead(err.status, headers);
  res.end(isHead ? undefined : body);
  return err;
}

/** Refusal on a raw socket (CONNECT before any HTTP response object exists for the tunnel). */
export function writeRawError(socket: Socket, error: unknown): ProxyError {
  const err = toProxyError(error);
  const body = `${err.code}: ${err.message}\n`;
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${err.status} ${err.code}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  } else {
    socket.destroy();
  }
  return err;
}
