/**
 * Starts a new object (PutObject) or multipart upload (CreateMultipartUpload): picks the DEK (unless a key
 * provider such as KMS GenerateDataKey supplied one) and the salt, and computes the key commitment. The
 * caller wraps the DEK with its key provider and stores everything with encodeEnvelopeMetadata().
 * Randomness is injected so test vectors are reproducible.
 */
import { randomBytes as nodeRandomBytes } from "node:crypto";
import { encodeEnvelopeHeader, type EnvelopeHeader } from "./envelopeHeader.ts";
import { KeyError } from "./errors.ts";
import { DEFAULT_SEGMENT_EXPONENT, DEK_LENGTH, type Layout, SALT_LENGTH } from "./formatConstants.ts";
import { deriveCommitment } from "./keyDerivation.ts";

/** A source of cryptographically secure random bytes (node:crypto randomBytes by default). */
export type RandomBytes = (size: number) => Uint8Array;

export const defaultRandomBytes: RandomBytes = (size) => nodeRandomBytes(size);

export interface CreateEnvelopeOptions {
  layout: Layout;
  /** Segment plaintext size 2^e; default 16 (64 KiB). */
  segmentExponent?: number;
  /** A DEK generated elsewhere (e.g. KMS GenerateDataKey); otherwise 32 random bytes. */
  dek?: Uint8Array;
  randomBytes?: RandomBytes;
}

export interface NewEnvelope {
  header: EnvelopeHeader;
  /** The plaintext DEK: wrap it, use it, never store it. */
  dek: Buffer;
}

function take(randomBytes: RandomBytes, size: number): Buffer {
  const bytes = randomBytes(size);
  if (bytes.byteLength !== size)
    throw new RangeError(`randomBytes(${size}) returned ${bytes.byteLength} bytes`);
  return Buffer.from(bytes);
}

/** Random draws happen in this order: DEK (if not supplied), then salt. */
export function createEnvelope(options: CreateEnvelopeOptions): NewEnvelope {
  const randomBytes = options.randomBytes ?? defaultRandomBytes;
  let dek: Buffer;
  if (options.dek !== undefined) {
    if (options.dek.byteLength !== DEK_LENGTH)
      throw new KeyError("KeyInvalid", `DEK must be ${DEK_LENGTH} bytes`);
    dek = Buffer.from(options.dek);
  } else {
    dek = take(randomBytes, DEK_LENGTH);
  }
  const salt = take(randomBytes, SALT_LENGTH);
  const header = encodeEnvelopeHeader({
    segmentExponent: options.segmentExponent ?? DEFAULT_SEGMENT_EXPONENT,
    layout: options.layout,
    salt,
    commitment: deriveCommitment(dek, salt),
  });
  return { header, dek };
}
