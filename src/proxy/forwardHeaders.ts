/**
 * Request headers as forwarded upstream: the client's raw headers minus hop-by-hop ones. Message framing is
 * re-established explicitly: a chunked client body stays chunked upstream (Node would not chunk a body on a
 * GET or DELETE by itself), a Content-Length body keeps its length.
 */
import type { IncomingMessage } from "node:http";
import { stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";

export function upstreamRequestHeaders(req: IncomingMessage, alsoDrop?: ReadonlySet<string>): RawHeaders {
  const headers = stripHopByHop(req.rawHeaders, alsoDrop);
  if (req.headers["transfer-encoding"] !== undefined && req.headers["content-length"] === undefined) {
    headers.push("Transfer-Encoding", "chunked");
  }
  return headers;
}
