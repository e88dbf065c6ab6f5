/**
 * Upstream request headers of the three ways the proxy carries out a copy (docs/OPERATIONS.md, "Copies"):
 *
 * - `copyObjectHeaders`: CopyObject of an encrypted source, forwarded. The client's end-to-end headers stay
 *   (destination metadata under REPLACE, ACL, storage class, SSE, tagging directive, object lock, destination
 *   conditions), with the metadata directive the proxy acted on, the source's envelope added under REPLACE, the
 *   client's copy-source conditions replaced by the pin `x-amz-copy-source-if-match: <stored ETag>`, and no
 *   `x-amz-checksum-algorithm` (S3 would checksum the ciphertext, which the client never sees).
 * - `reencryptPutHeaders`: PutObject of a plaintext (legacy) source encrypted by the proxy: what CopyObject would
 *   have given the destination — the source's metadata and Content-* headers under COPY, the request's under
 *   REPLACE; the source's tags under tagging directive COPY — plus the ciphertext length and a fresh envelope.
 * - `partCopyHeaders`: the UploadPart that replaces an UploadPartCopy: only what concerns the destination upload
 *   (its SSE-C key, requester pays, bucket owner) and the part's ciphertext length.
 *
 * The pin is sent unquoted, as conditionalRequest.ts sends If-Match: S3 takes either form, radosgw only the bare
 * one. Names in the tables are lower case.
 */
import type { RawHeaders } from "../http/hopByHop.ts";
import { withoutBodyHeaders } from "../s3body/withoutBodyHeaders.ts";
import type { CopyDirective } from "./copyDirectives.ts";

const COPY_CONDITIONS: readonly string[] = [
  "x-amz-copy-source-if-match",
  "x-amz-copy-source-if-none-match",
  "x-amz-copy-source-if-modified-since",
  "x-amz-copy-source-if-unmodified-since",
];
/**
 * Dropped from a forwarded copy besides what describes the client's (empty) body or signature and S3 checksums
 * of what it would store (withoutBodyHeaders.ts: x-amz-checksum-algorithm goes with every other x-amz-checksum-*).
 */
const COPY_DROPPED: ReadonlySet<string> = new Set([...COPY_CONDITIONS, "x-amz-metadata-directive"]);

/**
 * Metadata CopyObject copies from the source under `x-amz-metadata-directive: COPY` and takes from the request
 * under REPLACE: user metadata and these system headers (x-amz-website-redirect-location is never copied,
 * API_CopyObject.html).
 */
const COPIED_SYSTEM_METADATA: ReadonlySet<string> = new Set([
  "content-type",
  "content-encoding",
  "content-disposition",
  "content-language",
  "cache-control",
  "expires",
]);
const isMetadata = (lower: string): boolean =>
  lower.startsWith("x-amz-meta-") || COPIED_SYSTEM_METADATA.has(lower);

function filter(raw: RawHeaders, keep: (lower: string) => boolean): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? "";
    if (keep(name.toLowerCase())) out.push(name, raw[i + 1] ?? "");
  }
  return out;
}

const pairs = (record: Readonly<Record<string, string>>): RawHeaders => Object.entries(record).flat();

export function copyObjectHeaders(
  raw: RawHeaders,
  options: {
    directive: CopyDirective;
    /** The source's envelope metadata: sent under REPLACE (under COPY, S3 copies it with the rest). */
    envelope: Readonly<Record<string, string>>;
    /** The source's stored ETag, as its HEAD answered it. */
    sourceEtag: string;
  },
): RawHeaders {
  const out = withoutBodyHeaders(raw, COPY_DROPPED);
  out.push("x-amz-metadata-directive", options.directive);
  if (options.directive === "REPLACE") out.push(...pairs(options.envelope));
  out.push("x-amz-copy-source-if-match", options.sourceEtag.replace(/"/g, ""), "Content-Length", "0");
  return out;
}

/** Dropped from the client's copy request when it becomes a PutObject. */
const PUT_DROPPED: ReadonlySet<string> = new Set([
  ...COPY_DROPPED,
  "x-amz-copy-source",
  "x-amz-copy-source-range",
  "x-amz-tagging-directive",
  "x-amz-source-expected-bucket-owner",
  "x-amz-tagging",
]);

export function reencryptPutHeaders(
  raw: RawHeaders,
  options: {
    directive: CopyDirective;
    /** The source's HEAD answer (its metadata, under COPY). */
    sourceHead: RawHeaders;
    /** `x-amz-tagging` for the destination: the source's tags or the request's, per the tagging directive. */
    tagging: string | undefined;
    ciphertextLength: number;
    envelope: Readonly<Record<string, string>>;
  },
): RawHeaders {
  const out = filter(
    withoutBodyHeaders(raw, PUT_DROPPED),
    (lower) =>
      !lower.startsWith("x-amz-copy-source-") && (options.directive === "REPLACE" || !isMetadata(lower)),
  );
  if (options.directive === "COPY") {
    // Envelope metadata of the source cannot occur here (the source has none: it is legacy plaintext).
    out.push(
      ...filter(options.sourceHead, (lower) => isMetadata(lower) && !lower.startsWith("x-amz-meta-s3proxy-")),
    );
  }
  if (options.tagging !== undefined && options.tagging !== "") out.push("x-amz-tagging", options.tagging);
  out.push("Content-Length", String(options.ciphertextLength), ...pairs(options.envelope));
  return out;
}

const PART_KEPT: ReadonlySet<string> = new Set([
  "x-amz-server-side-encryption-customer-algorithm",
  "x-amz-server-side-encryption-customer-key",
  "x-amz-server-side-encryption-customer-key-md5",
  "x-amz-request-payer",
  "x-amz-expected-bucket-owner",
]);

export function partCopyHeaders(raw: RawHeaders, ciphertextLength: number): RawHeaders {
  const out = filter(raw, (lower) => PART_KEPT.has(lower));
  out.push("Content-Length", String(ciphertextLength));
  return out;
}
