/**
 * SigV4 chunk and trailer signatures of aws-chunked uploads, as S3 defines them:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html ("Defining the Chunk Body") and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html.
 *
 *   chunk:   HMAC(key, "AWS4-HMAC-SHA256-PAYLOAD\n" + timestamp + "\n" + scope + "\n" + previous-signature + "\n"
 *                     + hex(sha256("")) + "\n" + hex(sha256(chunk-data)))
 *   trailer: HMAC(key, "AWS4-HMAC-SHA256-TRAILER\n" + timestamp + "\n" + scope + "\n" + previous-signature + "\n"
 *                     + hex(sha256(trailers)))   where trailers = "name:value\n" per trailer, signature excluded
 *
 * The first chunk chains from the seed signature (the Authorization header's), each later one from the chunk
 * before, the trailer from the final (0-byte) chunk. This module only checks the chain; whether the seed
 * signature itself is valid is the SigV4 request check's job.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Where a chain of chunk signatures starts and what every string-to-sign repeats. */
export interface ChunkSigningContext {
  /** x-amz-date, ISO 8601 basic (20130524T000000Z). */
  timestamp: string;
  /** Credential scope: date/region/service/aws4_request. */
  scope: string;
  /** The Authorization header's signature, hex. */
  seedSignature: string;
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/**
 * Finds the SigV4 signing key for a client's credential scope, or undefined if the proxy does not know the
 * client's secret (then the body is still decoded but its signatures are reported unverified).
 */
export type SigningKeyLookup = (
  accessKeyId: string,
  date: string,
  region: string,
  service: string,
) => Buffer | undefined;

const hmac = (key: Buffer | string, data: string): Buffer => createHmac("sha256", key).update(data).digest();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}

export function chunkStringToSign(
  ctx: Pick<ChunkSigningContext, "timestamp" | "scope">,
  previousSignature: string,
  chunkSha256Hex: string,
): string {
  return `AWS4-HMAC-SHA256-PAYLOAD\n${ctx.timestamp}\n${ctx.scope}\n${previousSignature}\n${EMPTY_SHA256}\n${chunkSha256Hex}`;
}

export function trailerStringToSign(
  ctx: Pick<ChunkSigningContext, "timestamp" | "scope">,
  previousSignature: string,
  canonicalTrailers: string,
): string {
  const hash = createHash("sha256").update(canonicalTrailers).digest("hex");
  return `AWS4-HMAC-SHA256-TRAILER\n${ctx.timestamp}\n${ctx.scope}\n${previousSignature}\n${hash}`;
}

/** "name:value\n" for each trailer in the order sent, names lowercase, without x-amz-trailer-signature. */
export function canonicalTrailers(trailers: Iterable<readonly [string, string]>): string {
  let out = "";
  for (const [name, value] of trailers) {
    const lower = name.toLowerCase();
    if (lower !== "x-amz-trailer-signature") out += `${lower}:${value}\n`;
  }
  return out;
}

export function signString(signingKey: Buffer, stringToSign: string): string {
  return createHmac("sha256", signingKey).update(stringToSign).digest("hex");
}

function sameSignature(expectedHex: string, claimedHex: string): boolean {
  const a = Buffer.from(expectedHex, "hex");
  const b = Buffer.from(claimedHex.toLowerCase(), "hex");
  return a.length === 32 && b.length === 32 && timingSafeEqual(a, b);
}

/** Verifies one request's chain of chunk signatures, then its trailer signature, in order. */
export class ChunkSignatureChain {
  private previous: string;

  constructor(
    private readonly signingKey: Buffer,
    private readonly ctx: Pick<ChunkSigningContext, "timestamp" | "scope" | "seedSignature">,
  ) {
    this.previous = ctx.seedSignature.toLowerCase();
  }

  /** Checks the next chunk (`chunkSha256` over its data); on success it becomes the previous signature. */
  verifyChunk(chunkSha256: Buffer, claimedHex: string): boolean {
    const expected = signString(
      this.signingKey,
      chunkStringToSign(this.ctx, this.previous, chunkSha256.toString("hex")),
    );
    if (!sameSignature(expected, claimedHex)) return false;
    this.previous = expected;
    return true;
  }

  verifyTrailer(canonical: string, claimedHex: string): boolean {
    const expected = signString(this.signingKey, trailerStringToSign(this.ctx, this.previous, canonical));
    if (!sameSignature(expected, claimedHex)) return false;
    this.previous = expected;
    return true;
  }
}

/** Signs like a client would: for tests and for tools that produce signed aws-chunked bodies. */
export function signChunk(
  signingKey: Buffer,
  ctx: Pick<ChunkSigningContext, "timestamp" | "scope">,
  previous: string,
  data: Uint8Array,
): string {
  return signString(
    signingKey,
    chunkStringToSign(ctx, previous, createHash("sha256").update(data).digest("hex")),
  );
}
