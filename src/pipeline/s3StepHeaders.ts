/**
 * Header rewriting shared by the encrypting handlers. On the way up, a PUT's headers must describe the bytes the
 * proxy really sends (ciphertext, its length, no client checksums of the plaintext, no aws-chunked framing) and
 * carry the envelope; on the way down, everything that describes the stored ciphertext (length, checksums,
 * content-range) or the envelope itself must not reach the client, which would otherwise validate plaintext
 * against ciphertext facts (the v3 SDK checks any x-amz-checksum-* it gets back, NOTES.md §1).
 */
import type { IncomingMessage } from "node:http";
import { META_DEK, META_HEADER, META_KEK } from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import { stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";
import { withoutBodyHeaders } from "../s3body/withoutBodyHeaders.ts";

/** Every envelope metadata header starts with this (docs/FORMAT.md §2). */
export const ENVELOPE_META_PREFIX = "x-amz-meta-s3proxy-";
const ENVELOPE_NAMES: ReadonlySet<string> = new Set([META_HEADER, META_KEK, META_DEK]);

/** Content-Encoding is replaced by the stored one (aws-chunked removed). */
const PUT_REPLACED: ReadonlySet<string> = new Set(["content-encoding"]);

const isChecksumHeader = (lower: string): boolean => lower.startsWith("x-amz-checksum-");

/** Splits an origin-form target into its path and raw query (without `?`). */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf("?");
  return q < 0 ? { path: target, query: "" } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

/** The Host the client sent (and signed): what the re-signed request carries and signs too. */
export function clientHost(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  return host !== undefined && host !== "" ? host : fallback;
}

/** Refuses a write whose client itself sends a header in the proxy's reserved metadata namespace. */
export function refuseReservedMetadata(raw: RawHeaders): void {
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] ?? "").toLowerCase().startsWith(ENVELOPE_META_PREFIX)) {
      throw new ProxyError("InvalidArgument", "x-amz-meta-s3proxy-* metadata is reserved for s3proxy.");
    }
  }
}

/**
 * The headers of the upstream PutObject before re-signing: the client's end-to-end headers (metadata, type,
 * cache, tagging, storage class, ACL, object lock, conditional writes) minus those that describe its body or
 * signature (withoutBodyHeaders.ts: they no longer hold once it is encrypted), plus the stored Content-Encoding
 * (aws-chunked removed), the ciphertext length and the envelope metadata.
 */
export function putUpstreamHeaders(
  raw: RawHeaders,
  options: {
    storedContentEncoding: string | undefined;
    ciphertextLength: number;
    envelope: Readonly<Record<string, string>>;
  },
): RawHeaders {
  const out = withoutBodyHeaders(raw, PUT_REPLACED);
  if (options.storedContentEncoding !== undefined)
    out.push("Content-Encoding", options.storedContentEncoding);
  out.push("Content-Length", String(options.ciphertextLength));
  for (const [name, value] of Object.entries(options.envelope)) out.push(name, value);
  return out;
}

/**
 * Of a write request's headers, those that also apply to reading the object it targets: SSE-C keys, requester
 * pays, expected bucket owner. Everything else (SSE, ACL, storage class, metadata) S3 rejects or ignores on a
 * HEAD/GET.
 */
export function objectReadHeaders(raw: RawHeaders): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = (raw[i] ?? "").toLowerCase();
    if (
      lower.startsWith("x-amz-server-side-encryption-customer-") ||
      lower === "x-amz-request-payer" ||
      lower === "x-amz-expected-bucket-owner"
    ) {
      out.push(raw[i] ?? "", raw[i + 1] ?? "");
    }
  }
  return out;
}

/** Request headers for GET/HEAD upstream: no body, and no request for checksums of the ciphertext. */
export function getUpstreamHeaders(raw: RawHeaders): RawHeaders {
  return stripHopByHop(
    raw,
    new Set(["content-length", "transfer-encoding", "expect", "x-amz-checksum-mode"]),
  );
}

/**
 * Response headers for the client: hop-by-hop and x-amz-checksum-* (computed over ciphertext) always go, and so
 * does envelope metadata, opened or not. With `plaintext.length` set (an envelope was opened), Content-Range goes
 * too and Content-Length becomes the plaintext length; with `plaintext.etag` set, ETag is replaced by it
 * (clientEtag.ts).
 */
export function clientResponseHeaders(
  raw: RawHeaders,
  plaintext?: { length?: number; etag?: string | undefined },
): RawHeaders {
  const kept = stripHopByHop(raw);
  const out: RawHeaders = [];
  const lengthKnown = plaintext?.length !== undefined;
  const etag = plaintext?.etag;
  for (let i = 0; i + 1 < kept.length; i += 2) {
    const name = kept[i] ?? "";
    const lower = name.toLowerCase();
    if (isChecksumHeader(lower) || ENVELOPE_NAMES.has(lower) || lower.startsWith(ENVELOPE_META_PREFIX)) {
      continue;
    }
    if (lengthKnown && (lower === "content-length" || lower === "content-range")) continue;
    if (etag !== undefined && lower === "etag") continue;
    out.push(name, kept[i + 1] ?? "");
  }
  if (plaintext?.length !== undefined) out.push("Content-Length", String(plaintext.length));
  if (etag !== undefined) out.push("ETag", etag);
  return out;
}
