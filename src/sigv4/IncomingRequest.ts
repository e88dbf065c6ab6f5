/** A client request as the verifier sees it: the request line and headers exactly as received. */
import type { RawHeaders } from "../http/hopByHop.ts";

export interface IncomingRequest {
  readonly method: string;
  /** The raw path as received (percent-encoded, not normalised). */
  readonly path: string;
  /** The raw query string as received, without the `?`. */
  readonly query: string;
  /** Node's `rawHeaders`: every header as received, before any hop-by-hop stripping. */
  readonly headers: RawHeaders;
}
