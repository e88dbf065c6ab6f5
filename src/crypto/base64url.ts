/**
 * Strict base64url (RFC 4648 §5, no padding) for envelope metadata values. Node's decoder silently skips
 * characters outside the alphabet and accepts non-canonical trailing bits; metadata is attacker-reachable, so
 * a value is accepted only if it is exactly the canonical encoding of the bytes it decodes to.
 */

const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/** The decoded bytes, or undefined if `text` is not canonical unpadded base64url. */
export function decodeBase64url(text: string): Buffer | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : undefined;
}
