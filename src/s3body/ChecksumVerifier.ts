/**
 * A pass-through Transform over the decoded plaintext that computes every digest the client claimed and checks
 * them all when the body ends, before the stream itself ends. S3 rejects a PUT whose body does not match its
 * Content-MD5 or x-amz-checksum-* with BadDigest and one that does not match x-amz-content-sha256 with
 * XAmzContentSHA256Mismatch (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html); the proxy
 * must do the same, because upstream only ever sees ciphertext.
 *
 * Ordering guarantee: the most recent input chunk is always held back and released only after every check has
 * passed in `_flush`, so a downstream encryptor or uploader can never have received the whole plaintext — let
 * alone see `end` — for a body that fails verification. Memory: one input chunk plus the digest states.
 */
import { Transform, type TransformCallback } from "node:stream";
import { ProxyError } from "../errors/ProxyError.ts";
import {
  CHECKSUM_ALGORITHMS,
  checksumHeaderName,
  createDigester,
  decodeBase64Digest,
  type ChecksumAlgorithm,
  type Digester,
} from "./checksums.ts";

export interface DigestClaims {
  /** Content-MD5 (base64). */
  contentMd5?: string | undefined;
  /** x-amz-content-sha256 when it is a hex SHA-256 of the body. */
  sha256Hex?: string | undefined;
  /**
   * A flexible checksum (base64). `expected` is a function for trailers, which are only known once the aws-chunked
   * decoder upstream of this verifier has ended — i.e. by the time `_flush` runs.
   */
  checksum?: { algorithm: ChecksumAlgorithm; expected: string | (() => string | undefined) } | undefined;
  /** The exact plaintext length, if the headers fixed it. */
  length?: number | undefined;
}

export interface ChecksumVerifierOptions extends DigestClaims {
  /** Further digests to compute (not check) over the plaintext, readable from `digests` after the end. */
  compute?: readonly ChecksumAlgorithm[] | undefined;
}

export class ChecksumVerifier extends Transform {
  private readonly claims: DigestClaims;
  private readonly digesters = new Map<ChecksumAlgorithm, Digester>();
  private readonly results = new Map<ChecksumAlgorithm, Buffer>();
  private held: Buffer | undefined;
  private bytes = 0;

  constructor(options: ChecksumVerifierOptions = {}) {
    super();
    this.claims = options;
    const wanted = new Set<ChecksumAlgorithm>(options.compute ?? []);
    if (options.contentMd5 !== undefined) wanted.add("MD5");
    if (options.sha256Hex !== undefined) wanted.add("SHA256");
    if (options.checksum) wanted.add(options.checksum.algorithm);
    for (const alg of wanted) this.digesters.set(alg, createDigester(alg));
  }

  /** Plaintext bytes seen. */
  get byteCount(): number {
    return this.bytes;
  }

  /** Raw digests of the plaintext (CRCs big-endian); filled in once the stream has been verified. */
  get digests(): ReadonlyMap<ChecksumAlgorithm, Buffer> {
    return this.results;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk.length === 0) return callback();
    for (const d of this.digesters.values()) d.update(chunk);
    this.bytes += chunk.length;
    const previous = this.held;
    this.held = chunk;
    if (previous) this.push(previous);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.verify();
    } catch (err) {
      this.held = undefined;
      callback(err as Error);
      return;
    }
    if (this.held) this.push(this.held);
    this.held = undefined;
    callback();
  }

  private digestOf(alg: ChecksumAlgorithm): Buffer {
    let out = this.results.get(alg);
    if (!out) {
      out = (this.digesters.get(alg) as Digester).digest();
      this.results.set(alg, out);
    }
    return out;
  }

  private verify(): void {
    for (const alg of this.digesters.keys()) this.digestOf(alg);
    const { length, contentMd5, sha256Hex, checksum } = this.claims;
    if (length !== undefined && this.bytes !== length) {
      throw new ProxyError(
        "IncompleteBody",
        `You did not provide the number of bytes specified (${this.bytes} of ${length}).`,
      );
    }
    if (sha256Hex !== undefined && this.digestOf("SHA256").toString("hex") !== sha256Hex.toLowerCase()) {
      throw new ProxyError(
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
    if (contentMd5 !== undefined) {
      const claimed = decodeBase64Digest(contentMd5, 16);
      if (!claimed) throw new ProxyError("InvalidDigest", "The Content-MD5 you specified is not valid.");
      if (!claimed.equals(this.digestOf("MD5"))) {
        throw new ProxyError("BadDigest", "The Content-MD5 you specified did not match what we received.");
      }
    }
    if (checksum) {
      const value = typeof checksum.expected === "function" ? checksum.expected() : checksum.expected;
      const header = checksumHeaderName(checksum.algorithm);
      if (value === undefined) throw new ProxyError("InvalidRequest", `No ${header} value was sent.`);
      const claimed = decodeBase64Digest(value, CHECKSUM_ALGORITHMS[checksum.algorithm]);
      if (!claimed) throw new ProxyError("InvalidRequest", `Value for ${header} is invalid.`);
      if (!claimed.equals(this.digestOf(checksum.algorithm))) {
        throw new ProxyError(
          "BadDigest",
          `The ${checksum.algorithm} you specified did not match the calculated checksum.`,
        );
      }
    }
  }
}
