/**
 * Request-smuggling guards applied to every request before it is routed: a proxy must not forward a message
 * that two parsers could frame differently (RFC 9112 §6.3, §3.2). Node's parser already rejects
 * Content-Length together with Transfer-Encoding; duplicates it merges or drops are caught here.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { countHeader, type RawHeaders } from "./hopByHop.ts";

export function assertUnambiguousFraming(raw: RawHeaders): void {
  if (countHeader(raw, "host") > 1) throw new ProxyError("InvalidRequest", "Multiple Host headers.");
  if (countHeader(raw, "content-length") > 1) {
    throw new ProxyError("InvalidRequest", "Multiple Content-Length headers.");
  }
}
