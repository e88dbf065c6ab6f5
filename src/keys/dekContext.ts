/**
 * The context a key provider may bind to a wrapped DEK (AWS KMS EncryptionContext, a key service's associated
 * data). Whatever is bound at wrap time must be reproduced at every unwrap for as long as the object lives, by
 * the proxy, the re-wrap tool and the offline recovery tool, so the context holds only what the immutable
 * envelope header already stores: the format version and the per-object salt. It deliberately leaves out the
 * bucket and key: server-side copies (CopyObject, replication, restores) move objects without the proxy, and a
 * DEK bound to its old name could never be unwrapped again (docs/FORMAT.md §12.2).
 */
import { encodeBase64url, type EnvelopeHeader } from "../crypto/index.ts";

export interface DekContext {
  /** Envelope format version (header byte 0): keeps DEKs of different formats apart. */
  readonly formatVersion: number;
  /** The envelope header's 32-byte random salt: names the object across copies and re-wraps (audit logs). */
  readonly salt: Uint8Array;
}

/** The context for the DEK of the object (or multipart upload) with this envelope header. */
export function dekContextFor(header: Pick<EnvelopeHeader, "version" | "salt">): DekContext {
  return { formatVersion: header.version, salt: header.salt };
}

/**
 * The context as string pairs, the one encoding every remote provider uses (KMS EncryptionContext, gRPC
 * metadata), so the same object unwraps whichever implementation of a scheme wrapped it.
 */
export function dekContextPairs(context: DekContext): Record<string, string> {
  return {
    "s3proxy-format": String(context.formatVersion),
    "s3proxy-salt": encodeBase64url(context.salt),
  };
}
