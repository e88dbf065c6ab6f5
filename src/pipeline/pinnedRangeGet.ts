/**
 * A follow-up GET of a ranged read: exactly ciphertext bytes [start, end) of the object the first upstream
 * answer described, pinned to it with `If-Match: <stored ETag>` (RFC 9110 §13.1.1; versionId, when the client
 * gave one, stays in the query). Between two requests the key may be overwritten; the pin turns that into
 * S3's 412 instead of bytes of another object spliced into this one (which record authentication would catch
 * too, but only after the response had started). The client's own conditions were evaluated on the first
 * request and are replaced by the pin.
 *
 * The answer must be that span of an object of the same stored length: a 206 whose Content-Range says so
 * (or a 200 when the span is the whole object). A 412 or another length is ProxyObjectChanged (503, so clients
 * retry and start over), anything else ProxyUpstreamFailed.
 */
import type { IncomingMessage } from "node:http";
import { ProxyError } from "../errors/ProxyError.ts";
import { parseContentRange } from "../http/contentRange.ts";
import type { RawHeaders } from "../http/hopByHop.ts";
import type { Exchange } from "./Exchange.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import type { ByteSpan } from "./stitchPlan.ts";
import { releaseUpstreamBody } from "./upstreamBody.ts";
import { requestUpstream } from "./upstreamRequest.ts";

const CONDITIONS: ReadonlySet<string> = new Set([
  "if-match",
  "if-none-match",
  "if-modified-since",
  "if-unmodified-since",
  "if-range",
  "range",
]);

/** The object a ranged read pins its follow-up requests to. */
export interface PinnedObject {
  readonly ex: Exchange;
  readonly deps: S3StepDeps;
  readonly region: string | undefined;
  /** The read's upstream headers (conditions and Range are replaced here). */
  readonly headers: RawHeaders;
  readonly query: string;
  /** The stored object's ETag, as the upstream sent it. */
  readonly etag: string;
  readonly ciphertextLength: number;
}

export function objectChanged(cause?: unknown): ProxyError {
  return new ProxyError(
    "ProxyObjectChanged",
    "The object changed while the proxy read it; retry the request.",
    {
      cause,
    },
  );
}

/** The headers with the client's conditions and Range replaced by `If-Match: etag` (and `range`, if given). */
export function pinnedHeaders(headers: RawHeaders, etag: string, range?: string): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i] ?? "";
    if (!CONDITIONS.has(name.toLowerCase())) out.push(name, headers[i + 1] ?? "");
  }
  out.push("If-Match", etag);
  if (range !== undefined) out.push("Range", range);
  return out;
}

export async function pinnedRangeGet(object: PinnedObject, span: ByteSpan): Promise<IncomingMessage> {
  const res = await requestUpstream(object.ex, object.deps, {
    method: "GET",
    region: object.region,
    headers: pinnedHeaders(object.headers, object.etag, `bytes=${span.start}-${span.end - 1}`),
    query: object.query,
  });
  const c = object.ciphertextLength;
  const status = res.statusCode ?? 0;
  const got =
    status === 206
      ? parseContentRange(res.headers["content-range"])
      : status === 200
        ? {
            start: 0,
            end: Number(res.headers["content-length"]),
            complete: Number(res.headers["content-length"]),
          }
        : undefined;
  if (got !== undefined && got.start === span.start && got.end === span.end && got.complete === c) return res;
  releaseUpstreamBody(res, got === undefined ? 0 : got.end - got.start);
  if (status === 412 || (got !== undefined && got.complete !== c)) {
    throw objectChanged(new Error(`pinned GET answered ${status}, stored length ${got?.complete} ≠ ${c}`));
  }
  throw new ProxyError(
    "ProxyUpstreamFailed",
    `The upstream answered ${status} to a GET of stored bytes ${span.start}-${span.end - 1}.`,
  );
}
