/**
 * Wires a parsed PayloadMode into the streams that turn a PUT's request body into verified plaintext:
 * [AwsChunkedDecoder →] ChecksumVerifier. The caller pipes the request through `transforms` (e.g. with
 * stream.pipeline, then into the encryptor); the last stream ends only after every claim — chunk and trailer
 * signatures, decoded length, Content-MD5, x-amz-content-sha256, x-amz-checksum-* — has been checked.
 */
import type { Transform } from "node:stream";
import type { RawHeaders } from "../http/hopByHop.ts";
import { AwsChunkedDecoder, type AwsChunkedLimits } from "./AwsChunkedDecoder.ts";
import { ChecksumVerifier, type DigestClaims } from "./ChecksumVerifier.ts";
import type { ChecksumAlgorithm } from "./checksums.ts";
import { ChunkSignatureChain, type ChunkSigningContext, type SigningKeyLookup } from "./chunkSignatures.ts";
import type { PayloadMode } from "./parsePayloadMode.ts";
import { parseSigningContext } from "./parseSigningContext.ts";

export interface BodyDecodingOptions {
  /** The client's SigV4 signing key; without it signed chunks are decoded but reported unverified. */
  signingKeyFor?: SigningKeyLookup | undefined;
  /** Extra digests of the plaintext to compute (e.g. for the stored object's own checksum). */
  compute?: readonly ChecksumAlgorithm[] | undefined;
  limits?: Partial<AwsChunkedLimits> | undefined;
}

export interface BodyDecoding {
  /** In pipeline order; the last one emits the verified plaintext. */
  transforms: Transform[];
  decoder: AwsChunkedDecoder | undefined;
  verifier: ChecksumVerifier;
  /** For signed chunk modes: the parsed Authorization/x-amz-date the chain starts from. */
  signingContext: ChunkSigningContext | undefined;
}

export function createBodyDecoding(
  mode: PayloadMode,
  raw: RawHeaders,
  options: BodyDecodingOptions = {},
): BodyDecoding {
  const { framing, checksum } = mode;
  let decoder: AwsChunkedDecoder | undefined;
  let signingContext: ChunkSigningContext | undefined;
  if (framing.kind === "aws-chunked") {
    let chain: ChunkSignatureChain | undefined;
    if (framing.signedChunks) {
      signingContext = parseSigningContext(raw);
      const c = signingContext;
      const key = options.signingKeyFor?.(c.accessKeyId, c.date, c.region, c.service);
      if (key) chain = new ChunkSignatureChain(key, c);
    }
    decoder = new AwsChunkedDecoder({
      decodedLength: framing.decodedLength,
      signedChunks: framing.signedChunks,
      trailer:
        checksum?.location === "trailer" ? { name: checksum.name, signed: framing.signedTrailer } : undefined,
      chain,
      limits: options.limits,
    });
  }

  const d = decoder;
  const claims: DigestClaims = {
    contentMd5: mode.contentMd5,
    sha256Hex: mode.payloadHash.kind === "sha256" ? mode.payloadHash.hex : undefined,
    checksum: checksum && {
      algorithm: checksum.algorithm,
      expected: checksum.location === "header" ? checksum.value : () => d?.trailers.get(checksum.name),
    },
    length: mode.plaintextLength,
  };
  const verifier = new ChecksumVerifier({ ...claims, compute: options.compute });
  return { transforms: decoder ? [decoder, verifier] : [verifier], decoder, verifier, signingContext };
}
