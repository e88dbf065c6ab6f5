/**
 * A request as the re-signers (resignRequest.ts, resignPresigned.ts) take it: plain data, no sockets, so
 * signing is a pure function of request, credentials and clock (smithy's shape: requests as data, hashing,
 * credentials and time injected).
 */
import type { RawHeaders } from "../http/hopByHop.ts";
import type { AwsCredentials } from "./AwsCredentials.ts";

export interface OutgoingRequest {
  readonly method: string;
  /** The Host header value to send upstream (`bucket.s3.amazonaws.com`, `127.0.0.1:8443`). */
  readonly host: string;
  /**
   * The path exactly as the client sent it (`/b/a%20b//c%2Bd`), percent-encoded once. It is sent unchanged and
   * signed in its canonical form (canonicalPath.ts), which for SDK-encoded paths is the same string; it is never
   * encoded twice or normalised.
   */
  readonly path: string;
  /** The raw query string as the client sent it, without the `?` ("" for none). */
  readonly query: string;
  /** The client's headers as Node's `rawHeaders` ([name, value, …]), after the body transform updated them. */
  readonly headers: RawHeaders;
}

export interface SigningOptions {
  readonly region: string;
  /** Defaults to "s3". */
  readonly service?: string;
  readonly credentials: AwsCredentials;
  /** Injected clock; defaults to the system time. */
  readonly now?: () => Date;
}
