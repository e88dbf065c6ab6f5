/**
 * Recognises an object written by Constellation's Go s3proxy: its `x-amz-meta-constellation-dek` entry, the
 * hex of the KWP-wrapped DEK (object.go: `hex.EncodeToString(encryptedDEK)`; "Presence of the key implies the
 * object needs to be decrypted"). Present but unreadable is an error, never "not an object of theirs": such an
 * object is ciphertext and must not be served as plaintext.
 */
import type { MetadataHeaders } from "../crypto/index.ts";
import { CONSTELLATION_DEK_META, CONSTELLATION_WRAPPED_DEK_LENGTH } from "./constellationFormat.ts";
import { LegacyError } from "./legacyErrors.ts";

export interface ConstellationEnvelope {
  /** AES-KWP(KEK, DEK), 40 bytes. */
  readonly wrappedDek: Buffer;
}

const HEX = new RegExp(`^[0-9a-fA-F]{${2 * CONSTELLATION_WRAPPED_DEK_LENGTH}}$`);

function headerValue(headers: MetadataHeaders, name: string): string | readonly string[] | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** True when the headers carry the Constellation marker, readable or not. */
export function hasConstellationMetadata(headers: MetadataHeaders): boolean {
  return headerValue(headers, CONSTELLATION_DEK_META) !== undefined;
}

/** The envelope, null when the object has no Constellation marker; LegacyMetadataMalformed when unreadable. */
export function readConstellationEnvelope(headers: MetadataHeaders): ConstellationEnvelope | null {
  const value = headerValue(headers, CONSTELLATION_DEK_META);
  if (value === undefined) return null;
  if (typeof value !== "string" || !HEX.test(value)) {
    throw new LegacyError(
      "LegacyMetadataMalformed",
      `${CONSTELLATION_DEK_META} must be ${2 * CONSTELLATION_WRAPPED_DEK_LENGTH} hex digits`,
    );
  }
  return { wrappedDek: Buffer.from(value, "hex") };
}
