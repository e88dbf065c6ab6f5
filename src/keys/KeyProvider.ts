/**
 * The contract every source of key-encryption keys implements: the local AES key wrap provider now, AWS KMS,
 * a PKCS#11 HSM and a gRPC key service later. A provider owns one KEK-reference scheme (`<scheme>:<id>` in the
 * envelope's x-amz-meta-s3proxy-kek, docs/FORMAT.md §2); the wrapped DEK it returns is opaque to everything
 * else. test/keys/keyProviderContract.ts is the executable version of this contract: every provider runs it.
 *
 * Failures are KeyProviderErrors (errors.ts): KekNotFoundError, DekUnwrapError, KeyProviderUnavailableError
 * (retryable). Key bytes never appear in messages.
 */
import type { DekContext } from "./dekContext.ts";

export interface WrappedDek {
  /** `<scheme>:<id>` of the KEK that wrapped the DEK: stored as x-amz-meta-s3proxy-kek. */
  kekRef: string;
  /** Stored base64url-encoded as x-amz-meta-s3proxy-dek; 1..512 bytes. */
  wrappedDek: Buffer;
}

export interface GeneratedDataKey extends WrappedDek {
  /** The plaintext 32-byte DEK: use it, never store it. */
  dek: Buffer;
}

export interface KeyProvider {
  /** The `<scheme>` of the KEK references this provider writes and reads (`aeskw`, `kms`, …). */
  readonly scheme: string;
  /** The id of the KEK new DEKs are wrapped with. */
  activeKekId(): string;
  /** Every KEK id this provider can unwrap with, the active one included. */
  listKekIds(): readonly string[];
  /** Wraps a 32-byte DEK under the active KEK. */
  wrapDek(dek: Buffer, context: DekContext): Promise<WrappedDek>;
  /**
   * For providers that make DEKs themselves (KMS GenerateDataKey): a fresh DEK and its wrapped form in one call.
   * The context needs the object's salt before the envelope exists: draw the salt first and hand the same
   * bytes to createEnvelope. Callers without it use a random DEK and wrapDek.
   */
  generateDataKey?(context: DekContext): Promise<GeneratedDataKey>;
  /** The DEK that `wrappedDek` holds; `context` must equal the one given when it was wrapped. */
  unwrapDek(kekRef: string, wrappedDek: Buffer, context: DekContext): Promise<Buffer>;
}
