/**
 * Decodes an aws-chunked request body into the plaintext, streaming. S3 defines the framing in
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html:
 *
 *   <hex-size>[;chunk-signature=<64 hex>]\r\n<data>\r\n   … repeated …
 *   0[;chunk-signature=<64 hex>]\r\n
 *   [<trailer-name>:<value>\r\n …]                          (the *-TRAILER modes, incl. x-amz-trailer-signature)
 *   \r\n
 *
 * Memory is bounded: only the current chunk-header or trailer line is buffered (at most the configured limits);
 * chunk data is pushed downstream as it arrives, zero-copy. Chunk signatures are checked when a chunk's data
 * ends, so unverified bytes do travel downstream — but any failure, including a bad signature anywhere, errors
 * the stream before it ends, so nothing downstream can complete on a bad body (see ChecksumVerifier, which also
 * holds back the last chunk until the end is verified). Parsing is strict: one exact syntax per mode, no
 * whitespace, no unannounced trailers, nothing after the final CRLF, the decoded length exactly as declared.
 */
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { ProxyError, toProxyError } from "../errors/ProxyError.ts";
import { canonicalTrailers, EMPTY_SHA256, type ChunkSignatureChain } from "./chunkSignatures.ts";

export interface AwsChunkedLimits {
  /** Longest chunk-header line, CRLF excluded. A signed header is ~100 bytes. */
  maxChunkHeaderLength: number;
  /** Longest trailer line, CRLF excluded. A SHA-512 checksum trailer is ~115 bytes. */
  maxTrailerLineLength: number;
  /** Most trailer fields accepted. */
  maxTrailers: number;
}

export const DEFAULT_AWS_CHUNKED_LIMITS: AwsChunkedLimits = {
  maxChunkHeaderLength: 256,
  maxTrailerLineLength: 512,
  maxTrailers: 4,
};

export interface AwsChunkedDecoderOptions {
  /** x-amz-decoded-content-length: the decoded data must be exactly this long. */
  decodedLength: number;
  /** Chunk headers carry `;chunk-signature=` (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]). */
  signedChunks: boolean;
  /** The trailer x-amz-trailer announced (lowercase name), and whether it must carry x-amz-trailer-signature. */
  trailer?: { name: string; signed: boolean } | undefined;
  /** Verifies the chunk and trailer signatures; without it signed bodies are decoded but left unverified. */
  chain?: ChunkSignatureChain | undefined;
  limits?: Partial<AwsChunkedLimits> | undefined;
}

/** `unsigned`: the mode has no chunk signatures; `unverified`: signed, but no key was available to check them. */
export type SignatureStatus = "unsigned" | "unverified" | "verified";

type State = "header" | "data" | "data-cr" | "data-lf" | "trailer" | "done";

const UNSIGNED_HEADER = /^([0-9a-fA-F]{1,16})$/;
const SIGNED_HEADER = /^([0-9a-fA-F]{1,16});chunk-signature=([0-9a-fA-F]{64})$/;
/** Field name (RFC 9110 token), optional whitespace around a value of visible ASCII. */
const TRAILER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([\x21-\x7e]*)[ \t]*$/;
const SIGNATURE_HEX = /^[0-9a-fA-F]{64}$/;

const invalid = (message: string): ProxyError => new ProxyError("InvalidRequest", message);

export class AwsChunkedDecoder extends Transform {
  private readonly opts: AwsChunkedDecoderOptions;
  private readonly limits: AwsChunkedLimits;
  private state: State = "header";
  private readonly line: Buffer;
  private lineLength = 0;
  private chunkRemaining = 0;
  private chunkSignature: string | undefined;
  private chunkHash: Hash | undefined;
  private decoded = 0;
  private readonly trailerFields: [string, string][] = [];

  constructor(options: AwsChunkedDecoderOptions) {
    super();
    this.opts = options;
    this.limits = { ...DEFAULT_AWS_CHUNKED_LIMITS, ...options.limits };
    this.line = Buffer.alloc(
      Math.max(this.limits.maxChunkHeaderLength, this.limits.maxTrailerLineLength) + 1,
    );
  }

  /** Trailer fields received (lowercase names), in order; complete once the stream has ended. */
  get trailers(): ReadonlyMap<string, string> {
    return new Map(this.trailerFields);
  }

  /** Decoded bytes so far. */
  get decodedBytes(): number {
    return this.decoded;
  }

  /** Meaningful once the stream has ended without error. */
  get signatures(): SignatureStatus {
    if (!this.opts.signedChunks) return "unsigned";
    return this.opts.chain && this.state === "done" ? "verified" : "unverified";
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (err) {
      callback(toProxyError(err));
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.state !== "done") {
      callback(
        new ProxyError("IncompleteBody", "The aws-chunked body ended before its final chunk and trailer."),
      );
      return;
    }
    callback();
  }

  private consume(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      switch (this.state) {
        case "header":
          pos = this.scanLine(chunk, pos, this.limits.maxChunkHeaderLength, "chunk header");
          break;
        case "data": {
          const n = Math.min(this.chunkRemaining, chunk.length - pos);
          const piece = chunk.subarray(pos, pos + n);
          this.chunkHash?.update(piece);
          this.push(piece);
          pos += n;
          this.chunkRemaining -= n;
          this.decoded += n;
          if (this.chunkRemaining === 0) this.endOfChunkData();
          break;
        }
        case "data-cr":
          if (chunk[pos++] !== 0x0d) throw invalid("aws-chunked chunk data is not followed by CRLF.");
          this.state = "data-lf";
          break;
        case "data-lf":
          if (chunk[pos++] !== 0x0a) throw invalid("aws-chunked chunk data is not followed by CRLF.");
          this.state = "header";
          break;
        case "trailer":
          pos = this.scanLine(chunk, pos, this.limits.maxTrailerLineLength, "trailer");
          break;
        case "done":
          throw invalid("Unexpected data after the final aws-chunked chunk.");
      }
    }
  }

  /** Buffers a line up to its LF; on a complete line, dispatches it. Returns the position after what it used. */
  private scanLine(chunk: Buffer, pos: number, max: number, what: string): number {
    const lf = chunk.indexOf(0x0a, pos);
    const end = lf === -1 ? chunk.length : lf;
    if (this.lineLength + (end - pos) > max + 1) throw invalid(`aws-chunked ${what} line is too long.`);
    chunk.copy(this.line, this.lineLength, pos, end);
    this.lineLength += end - pos;
    if (lf === -1) return chunk.length;
    if (this.lineLength === 0 || this.line[this.lineLength - 1] !== 0x0d) {
      throw invalid(`aws-chunked ${what} line does not end with CRLF.`);
    }
    const text = this.line.toString("latin1", 0, this.lineLength - 1);
    this.lineLength = 0;
    if (text.includes("\r")) throw invalid(`aws-chunked ${what} line contains a bare CR.`);
    if (this.state === "header") this.onChunkHeader(text);
    else this.onTrailerLine(text);
    return lf + 1;
  }

  private onChunkHeader(line: string): void {
    const m = (this.opts.signedChunks ? SIGNED_HEADER : UNSIGNED_HEADER).exec(line);
    if (!m) {
      throw invalid(
        this.opts.signedChunks
          ? "Malformed aws-chunked chunk header: expected <hex-size>;chunk-signature=<64 hex>."
          : "Malformed aws-chunked chunk header: expected <hex-size>.",
      );
    }
    const size = parseInt(m[1] as string, 16);
    const left = this.opts.decodedLength - this.decoded;
    if (size > left) throw invalid("aws-chunked data exceeds x-amz-decoded-content-length.");
    this.chunkSignature = m[2];
    if (size > 0) {
      this.chunkRemaining = size;
      this.chunkHash = this.opts.chain ? createHash("sha256") : undefined;
      this.state = "data";
      return;
    }
    if (left !== 0) {
      throw new ProxyError(
        "IncompleteBody",
        `The aws-chunked body decoded to ${this.decoded} bytes; x-amz-decoded-content-length is ${this.opts.decodedLength}.`,
      );
    }
    this.verifyChunk(Buffer.from(EMPTY_SHA256, "hex"));
    this.state = "trailer";
  }

  private endOfChunkData(): void {
    if (this.chunkHash) this.verifyChunk(this.chunkHash.digest());
    this.chunkHash = undefined;
    this.state = "data-cr";
  }

  private verifyChunk(sha256: Buffer): void {
    const { chain } = this.opts;
    if (!chain || this.chunkSignature === undefined) return;
    if (!chain.verifyChunk(sha256, this.chunkSignature)) {
      throw new ProxyError("SignatureDoesNotMatch", "An aws-chunked chunk signature does not match.");
    }
  }

  private onTrailerLine(line: string): void {
    if (line === "") {
      this.endOfTrailers();
      return;
    }
    const announced = this.opts.trailer;
    if (!announced)
      throw invalid("Trailer data after the final aws-chunked chunk, but no trailer was announced.");
    if (this.trailerFields.length >= this.limits.maxTrailers) throw invalid("Too many aws-chunked trailers.");
    const m = TRAILER_LINE.exec(line);
    if (!m) throw invalid("Malformed aws-chunked trailer line.");
    const name = (m[1] as string).toLowerCase();
    const value = m[2] as string;
    if (name !== announced.name && !(announced.signed && name === "x-amz-trailer-signature")) {
      throw invalid(`Unexpected aws-chunked trailer ${name}; x-amz-trailer announced ${announced.name}.`);
    }
    if (this.trailerFields.some(([n]) => n === name)) throw invalid(`Repeated aws-chunked trailer ${name}.`);
    this.trailerFields.push([name, value]);
  }

  private endOfTrailers(): void {
    const announced = this.opts.trailer;
    if (announced) {
      const fields = new Map(this.trailerFields);
      if (!fields.has(announced.name)) throw invalid(`The announced trailer ${announced.name} was not sent.`);
      if (announced.signed) {
        const signature = fields.get("x-amz-trailer-signature");
        if (signature === undefined || !SIGNATURE_HEX.test(signature)) {
          throw invalid("A signed trailer needs x-amz-trailer-signature with 64 hex digits.");
        }
        const { chain } = this.opts;
        if (chain && !chain.verifyTrailer(canonicalTrailers(this.trailerFields), signature)) {
          throw new ProxyError("SignatureDoesNotMatch", "The aws-chunked trailer signature does not match.");
        }
      }
    }
    this.state = "done";
  }
}
