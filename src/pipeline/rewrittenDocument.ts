/**
 * The edges of an S3 answer document the proxy reads whole and rewrites (listings, GetObjectAttributes): what the
 * re-signed request asks for, how the answer's bytes are read as text, and which of its response headers still
 * hold for the rewritten body (sendDocument in s3StepDocument.ts sets the new Content-Length). An answer other
 * than 200 is relayed to the client unchanged (fetchDocumentToRewrite).
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { rawHeader, stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";
import type { Exchange } from "./Exchange.ts";
import { fetchUpstreamDocument, sendDocument, type DocumentRequest } from "./s3StepDocument.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
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
function documentResponseHeaders(raw: RawHeaders): RawHeaders {
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
function documentText(rawHeaders: RawHeaders, body: Buffer): string {
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

export interface DocumentToRewrite {
  /** The 200 answer's text. */
  readonly xml: string;
  /** The upstream's response headers as received. */
  readonly rawHeaders: RawHeaders;
  /** Answers the client with the rewritten document and the response headers that still hold. */
  send(rewritten: string): void;
}

/**
 * Fetches the document with a re-signed GET (`input.headers` built on documentReadHeaders). Undefined when the
 * upstream answered other than 200: that answer has gone to the client as it was.
 */
export async function fetchDocumentToRewrite(
  ex: Exchange,
  deps: S3StepDeps,
  input: Omit<DocumentRequest, "method">,
): Promise<DocumentToRewrite | undefined> {
  const doc = await fetchUpstreamDocument(ex, deps, { method: "GET", ...input });
  const headers = documentResponseHeaders(doc.rawHeaders);
  if (doc.status !== 200) {
    sendDocument(ex.res, doc.status, doc.statusMessage, headers, doc.body);
    return undefined;
  }
  return {
    xml: documentText(doc.rawHeaders, doc.body),
    rawHeaders: doc.rawHeaders,
    send: (rewritten) =>
      sendDocument(ex.res, 200, doc.statusMessage, headers, Buffer.from(rewritten, "utf8")),
  };
}
