/**
 * The edges of an S3 answer document the proxy reads whole and rewrites (listings, GetObjectAttributes): what the
 * re-signed request asks for, how the answer's bytes are read as text, and which of its response headers still
 * hold for the rewritten body (sendDocument in s3StepDocument.ts sets the new Content-Length).
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { rawHeader, stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";
import { clientResponseHeaders } from "./s3StepHeaders.ts";

/**
 * Request headers for a re-signed document read: no body, no request for checksums or compression of an answer
 * the proxy rewrites (it must read S3's bytes, and their checksums would no longer hold).
 */
export function documentReadHeaders(raw: RawHeaders): RawHeaders {
  return stripHopByHop(
    raw,
    new Set(["content-length", "transfer-encoding", "expect", "x-amz-checksum-mode", "accept-encoding"]),
  );
}

/** Response headers of a rewritten document: those of S3's answer minus what described its exact bytes. */
export function documentResponseHeaders(raw: RawHeaders): RawHeaders {
  const kept = clientResponseHeaders(raw);
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < kept.length; i += 2) {
    const lower = (kept[i] ?? "").toLowerCase();
    if (lower === "content-md5" || lower === "etag") continue;
    out.push(kept[i] ?? "", kept[i + 1] ?? "");
  }
  return out;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The document text of a 200 answer; S3 documents are UTF-8 and never content-encoded unasked. */
export function documentText(rawHeaders: RawHeaders, body: Buffer): string {
  const encoding = rawHeader(rawHeaders, "content-encoding")?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== "" && encoding !== "identity") {
    throw new ProxyError("ProxyUpstreamFailed", `The upstream answered with Content-Encoding ${encoding}.`);
  }
  try {
    return UTF8.decode(body);
  } catch (err) {
    throw new ProxyError("ProxyUpstreamFailed", "The upstream answered a document that is not UTF-8.", {
      cause: err,
    });
  }
}
