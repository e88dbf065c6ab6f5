/**
 * Reads a PUT's headers and decides how its body is framed and what the client claims about the plaintext,
 * before a byte of body is read. Everything the body layer later verifies comes from here, so inconsistent or
 * unsupported combinations are refused now with the error S3 itself would give.
 *
 * Sources (AWS S3 API reference):
 * - x-amz-content-sha256 values: sigv4-auth-using-authorization-header.html ("hex SHA-256", UNSIGNED-PAYLOAD,
 *   STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER], STREAMING-UNSIGNED-PAYLOAD-TRAILER,
 *   STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]).
 * - aws-chunked: sigv4-streaming.html ("you must include the x-amz-decoded-content-length header";
 *   Content-Encoding aws-chunked, possibly with other codings that apply to the stored object) and
 *   sigv4-streaming-trailers.html ("You must set x-amz-trailer").
 * - Flexible checksums: API_PutObject.html (x-amz-sdk-checksum-algorithm needs a matching x-amz-checksum-* or
 *   x-amz-trailer, else 400; a mismatch between the two is BadDigest; one checksum per request).
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { countHeader, rawHeader, type RawHeaders } from "../http/hopByHop.ts";
import {
  CHECKSUM_ALGORITHMS,
  checksumFromHeaderName,
  decodeBase64Digest,
  isChecksumAlgorithm,
  UNSUPPORTED_CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
} from "./checksums.ts";

/** S3's single-PUT limit (5 GiB), https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

export type StreamingPayload =
  | "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
  | "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
  | "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/** What `x-amz-content-sha256` says about the payload. */
export type PayloadHashClaim =
  /** No header: presigned URL or a non-SigV4 request; the payload is not covered by any signature. */
  | { kind: "absent" }
  | { kind: "unsigned" }
  /** A hex SHA-256 of the whole (decoded) body, lowercase. */
  | { kind: "sha256"; hex: string }
  | { kind: "streaming"; value: StreamingPayload };

export type BodyFraming =
  /** The body is the plaintext. `contentLength` is undefined under HTTP chunked transfer coding. */
  | { kind: "identity"; contentLength: number | undefined }
  | {
      kind: "aws-chunked";
      /** Each chunk header carries `;chunk-signature=` chained from the seed signature. */
      signedChunks: boolean;
      /** The final chunk is followed by trailer fields (checksum, and a signature if `signedTrailer`). */
      trailer: boolean;
      signedTrailer: boolean;
      /** x-amz-decoded-content-length: the plaintext length. */
      decodedLength: number;
      /** Content-Length of the encoded body, if sent (undefined under HTTP chunked). */
      encodedLength: number | undefined;
    };

/** The one flexible checksum a request may carry: in a header, or announced by x-amz-trailer. */
export type ChecksumClaim =
  | { algorithm: ChecksumAlgorithm; location: "header"; name: string; value: string }
  | { algorithm: ChecksumAlgorithm; location: "trailer"; name: string };

export interface PayloadMode {
  framing: BodyFraming;
  /** The plaintext length, when the headers fix it. */
  plaintextLength: number | undefined;
  payloadHash: PayloadHashClaim;
  /** Content-MD5 (validated base64 of 16 bytes). */
  contentMd5: string | undefined;
  checksum: ChecksumClaim | undefined;
  sdkChecksumAlgorithm: ChecksumAlgorithm | undefined;
  /**
   * Content-Encoding for the stored object: the request's codings without `aws-chunked`, in order, or undefined
   * if none remain (e.g. "gzip" from "gzip,aws-chunked").
   */
  storedContentEncoding: string | undefined;
}

export interface ParsePayloadModeOptions {
  /** Largest plaintext accepted; default 5 GiB (single PUT / UploadPart). */
  maxLength?: number;
}

const STREAMING: ReadonlySet<string> = new Set<StreamingPayload>([
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
  "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
]);
/** SigV4a streaming: chunk signatures are ECDSA, which this layer cannot verify yet. */
const STREAMING_ECDSA = new Set([
  "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
  "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
]);
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const DECIMAL = /^[0-9]{1,16}$/;

function single(raw: RawHeaders, name: string): string | undefined {
  if (countHeader(raw, name) > 1) throw new ProxyError("InvalidRequest", `Multiple ${name} headers.`);
  return rawHeader(raw, name)?.trim();
}

function parseLength(value: string, name: string): number {
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new ProxyError("InvalidArgument", `${name} is not a valid length.`);
  return n;
}

function parsePayloadHash(value: string | undefined): PayloadHashClaim {
  if (value === undefined) return { kind: "absent" };
  if (value === "UNSIGNED-PAYLOAD") return { kind: "unsigned" };
  if (SHA256_HEX.test(value)) return { kind: "sha256", hex: value.toLowerCase() };
  if (STREAMING.has(value)) return { kind: "streaming", value: value as StreamingPayload };
  if (STREAMING_ECDSA.has(value)) {
    throw new ProxyError(
      "NotImplemented",
      `x-amz-content-sha256 ${value} (SigV4a streaming) is not supported.`,
    );
  }
  throw new ProxyError(
    "InvalidArgument",
    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* value, or a hex SHA-256.",
  );
}

/** All Content-Encoding codings, in order, across repeated headers (RFC 9110 §5.3). */
function contentCodings(raw: RawHeaders): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() !== "content-encoding") continue;
    for (const token of (raw[i + 1] ?? "").split(",")) {
      const t = token.trim();
      if (t) out.push(t);
    }
  }
  return out;
}

function checksumAlgorithmOf(lowerName: string, where: string): ChecksumAlgorithm {
  const alg = checksumFromHeaderName(lowerName);
  if (alg === undefined) throw new ProxyError("InvalidRequest", `${where} ${lowerName} is not a checksum.`);
  if (typeof alg === "object") {
    throw new ProxyError(
      "NotImplemented",
      `Checksum algorithm ${alg.unsupported} is not supported by this proxy.`,
    );
  }
  return alg;
}

/** Every x-amz-checksum-<alg> header with its value. */
function checksumHeaders(raw: RawHeaders): ChecksumClaim[] {
  const out: ChecksumClaim[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? "").toLowerCase();
    if (checksumFromHeaderName(name) === undefined) continue;
    const algorithm = checksumAlgorithmOf(name, "Header");
    const value = (raw[i + 1] ?? "").trim();
    if (!decodeBase64Digest(value, CHECKSUM_ALGORITHMS[algorithm])) {
      throw new ProxyError("InvalidRequest", `Value for ${name} header is invalid.`);
    }
    out.push({ algorithm, location: "header", name, value });
  }
  return out;
}

function parseSdkAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (isChecksumAlgorithm(upper)) return upper;
  if (UNSUPPORTED_CHECKSUM_ALGORITHMS.has(upper)) {
    throw new ProxyError("NotImplemented", `Checksum algorithm ${upper} is not supported by this proxy.`);
  }
  throw new ProxyError("InvalidRequest", "Value for x-amz-sdk-checksum-algorithm header is invalid.");
}

function parseTrailer(value: string | undefined, framing: BodyFraming): ChecksumClaim | undefined {
  const hasTrailer = framing.kind === "aws-chunked" && framing.trailer;
  if (value === undefined) {
    if (hasTrailer)
      throw new ProxyError("InvalidRequest", "A trailer payload requires an x-amz-trailer header.");
    return undefined;
  }
  if (!hasTrailer) {
    throw new ProxyError(
      "InvalidRequest",
      "x-amz-trailer requires a STREAMING-*-TRAILER x-amz-content-sha256.",
    );
  }
  const names = value
    .split(",")
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  if (names.length !== 1)
    throw new ProxyError("InvalidRequest", "x-amz-trailer must name exactly one checksum.");
  const name = names[0] as string;
  return { algorithm: checksumAlgorithmOf(name, "Trailer"), location: "trailer", name };
}

function parseContentMd5(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!decodeBase64Digest(value, 16)) {
    throw new ProxyError("InvalidDigest", "The Content-MD5 you specified is not valid.");
  }
  return value;
}

function parseFraming(raw: RawHeaders, hash: PayloadHashClaim, awsChunkedCoding: boolean): BodyFraming {
  const cl = single(raw, "content-length");
  const contentLength = cl === undefined ? undefined : parseLength(cl, "Content-Length");
  const chunkedTransfer = countHeader(raw, "transfer-encoding") > 0;
  if (chunkedTransfer && contentLength !== undefined) {
    throw new ProxyError("InvalidRequest", "Both Content-Length and Transfer-Encoding are present.");
  }
  const decoded = single(raw, "x-amz-decoded-content-length");
  if (hash.kind === "streaming") {
    if (decoded === undefined) {
      throw new ProxyError(
        "MissingContentLength",
        "aws-chunked uploads require x-amz-decoded-content-length.",
      );
    }
    return {
      kind: "aws-chunked",
      signedChunks: hash.value !== "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      trailer: hash.value.endsWith("-TRAILER"),
      signedTrailer: hash.value === "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
      decodedLength: parseLength(decoded, "x-amz-decoded-content-length"),
      encodedLength: contentLength,
    };
  }
  if (awsChunkedCoding) {
    // Framing decided by one header and contradicted by another: refuse rather than store the framing bytes.
    throw new ProxyError(
      "InvalidRequest",
      "Content-Encoding aws-chunked requires a STREAMING-* x-amz-content-sha256.",
    );
  }
  if (decoded !== undefined && parseLength(decoded, "x-amz-decoded-content-length") !== contentLength) {
    throw new ProxyError(
      "InvalidRequest",
      "x-amz-decoded-content-length without aws-chunked must equal Content-Length.",
    );
  }
  // Neither Content-Length nor Transfer-Encoding: the body is empty (RFC 9112 §6.3).
  return { kind: "identity", contentLength: chunkedTransfer ? undefined : (contentLength ?? 0) };
}

export function parsePayloadMode(raw: RawHeaders, options: ParsePayloadModeOptions = {}): PayloadMode {
  const payloadHash = parsePayloadHash(single(raw, "x-amz-content-sha256"));
  const codings = contentCodings(raw);
  const remaining = codings.filter((c) => c.toLowerCase() !== "aws-chunked");
  const framing = parseFraming(raw, payloadHash, remaining.length !== codings.length);

  const plaintextLength = framing.kind === "aws-chunked" ? framing.decodedLength : framing.contentLength;
  const maxLength = options.maxLength ?? MAX_PUT_SIZE;
  if (plaintextLength !== undefined && plaintextLength > maxLength) {
    throw new ProxyError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
  }

  const trailerClaim = parseTrailer(single(raw, "x-amz-trailer"), framing);
  const claims = checksumHeaders(raw);
  if (trailerClaim) claims.push(trailerClaim);
  if (claims.length > 1) {
    throw new ProxyError("InvalidRequest", "Expecting a single x-amz-checksum- header or trailer.");
  }
  const checksum = claims[0];

  const sdkChecksumAlgorithm = parseSdkAlgorithm(single(raw, "x-amz-sdk-checksum-algorithm"));
  if (sdkChecksumAlgorithm && !checksum) {
    throw new ProxyError(
      "InvalidRequest",
      "x-amz-sdk-checksum-algorithm requires a matching x-amz-checksum- header or x-amz-trailer.",
    );
  }
  if (sdkChecksumAlgorithm && checksum && sdkChecksumAlgorithm !== checksum.algorithm) {
    throw new ProxyError("BadDigest", `x-amz-sdk-checksum-algorithm does not match ${checksum.name}.`);
  }

  return {
    framing,
    plaintextLength,
    payloadHash,
    contentMd5: parseContentMd5(single(raw, "content-md5")),
    checksum,
    sdkChecksumAlgorithm,
    storedContentEncoding: remaining.length > 0 ? remaining.join(",") : undefined,
  };
}

/**
 * The plaintext length of a body the proxy encrypts (PutObject, UploadPart): it must be known up front, since the
 * ciphertext length goes upstream as Content-Length before the body does. A body framed only by
 * Transfer-Encoding: chunked is refused as S3 refuses it.
 */
export function requiredPlaintextLength(mode: PayloadMode): number {
  if (mode.plaintextLength === undefined) {
    throw new ProxyError("MissingContentLength", "You must provide the Content-Length HTTP header.");
  }
  return mode.plaintextLength;
}
