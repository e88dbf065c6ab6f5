/**
 * The upload token (docs/FORMAT.md §15): everything a proxy replica needs to encrypt a part of a multipart
 * upload, carried inside the UploadId the client sees. S3 keeps an in-progress upload's metadata out of reach
 * (UploadPart, ListParts and ListMultipartUploads return none of it, and HeadObject only sees completed
 * objects), so without the token a replica would need shared state to find the upload's envelope.
 *
 *   offset     size  field
 *   0          1     token version = 1
 *   1          68    envelope header (docs/FORMAT.md §3, layout 1 = multipart)
 *   69         2     be16 k: length of the KEK reference
 *   71         k     KEK reference `<scheme>:<id>` (ASCII)
 *   71+k       2     be16 w: length of the wrapped DEK
 *   73+k       w     wrapped DEK
 *   73+k+w     16    tag = HMAC-SHA256(tokenKey, be16(|u|) || u || bytes[0, 73+k+w)), first 16 bytes
 *
 *   tokenKey = HKDF-SHA256(IKM = DEK, salt = envelope salt, info = "s3proxy/v1 upload token", 32)  (RFC 5869)
 *   u        = the upstream UploadId, UTF-8
 *
 * Nothing in the token is secret (the same three values become the object's metadata), but it must not be
 * forgeable: a token pointing at another object's envelope, or moved to another upload, would have parts
 * encrypted under a key the completed object does not carry. Only a holder of the DEK — a proxy whose key
 * provider unwraps it — can compute the tag, and the tag binds the upstream UploadId. HMAC truncated to 128 bits
 * is RFC 2104 §5's "at least half the hash output"; a forgery needs about 2^128 guesses online.
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import {
  encodeBase64url,
  encodeEnvelopeMetadata,
  isCryptoError,
  META_DEK,
  META_HEADER,
  META_KEK,
  readEnvelopeMetadata,
  type Envelope,
} from "../crypto/index.ts";

export const UPLOAD_TOKEN_VERSION = 1;
/** HKDF info (RFC 5869 §3.2): distinct from the format's labels, so the token key is independent of them. */
export const LABEL_UPLOAD_TOKEN = "s3proxy/v1 upload token";
const TAG_LENGTH = 16;
const HEADER_LENGTH = 68;
const TOKEN_INFO = Buffer.from(LABEL_UPLOAD_TOKEN, "ascii");

/** The envelope fields a token carries: the upload's header, KEK reference and wrapped DEK. */
export type UploadEnvelope = Pick<Envelope, "header" | "kekRef" | "wrappedDek">;

export interface DecodedUploadToken {
  envelope: UploadEnvelope;
  /** The authenticated bytes (everything before the tag). */
  signed: Buffer;
  tag: Buffer;
}

/** The key of the token tag, from the upload's DEK and its envelope salt. */
export function deriveUploadTokenKey(dek: Uint8Array, salt: Uint8Array): Buffer {
  return Buffer.from(hkdfSync("sha256", dek, salt, TOKEN_INFO, 32));
}

function be16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function tagOf(tokenKey: Uint8Array, upstreamUploadId: string, signed: Uint8Array): Buffer {
  const id = Buffer.from(upstreamUploadId, "utf8");
  if (id.length > 0xffff) throw new RangeError("upstream UploadId longer than 65535 bytes");
  return createHmac("sha256", tokenKey)
    .update(be16(id.length))
    .update(id)
    .update(signed)
    .digest()
    .subarray(0, TAG_LENGTH);
}

/** The token bytes for an upload's envelope, bound to the upstream UploadId. */
export function encodeUploadToken(
  envelope: UploadEnvelope,
  tokenKey: Uint8Array,
  upstreamUploadId: string,
): Buffer {
  if (envelope.header.layout !== "multipart")
    throw new RangeError("an upload token needs a multipart envelope");
  encodeEnvelopeMetadata(envelope); // the format's own checks of the KEK reference and wrapped DEK
  const kek = Buffer.from(envelope.kekRef, "ascii");
  const signed = Buffer.concat([
    Buffer.of(UPLOAD_TOKEN_VERSION),
    envelope.header.bytes,
    be16(kek.length),
    kek,
    be16(envelope.wrappedDek.length),
    envelope.wrappedDek,
  ]);
  return Buffer.concat([signed, tagOf(tokenKey, upstreamUploadId, signed)]);
}

/**
 * Parses token bytes without authenticating them (that needs the DEK: verifyUploadToken). Undefined when the
 * bytes are not a well-formed v1 token of a multipart envelope.
 */
export function decodeUploadToken(bytes: Uint8Array): DecodedUploadToken | undefined {
  const b = Buffer.from(bytes);
  if (b.length < 1 + HEADER_LENGTH + 2 + 2 + TAG_LENGTH || b[0] !== UPLOAD_TOKEN_VERSION) return undefined;
  let at = 1 + HEADER_LENGTH;
  const k = b.readUInt16BE(at);
  at += 2;
  if (at + k + 2 > b.length) return undefined;
  const kekRef = b.subarray(at, at + k).toString("latin1");
  at += k;
  const w = b.readUInt16BE(at);
  at += 2;
  if (at + w + TAG_LENGTH !== b.length) return undefined;
  const wrappedDek = b.subarray(at, at + w);
  at += w;
  try {
    // The same checks as stored metadata (docs/FORMAT.md §2): version, suite, lengths, KEK reference syntax.
    const envelope = readEnvelopeMetadata({
      [META_HEADER]: encodeBase64url(b.subarray(1, 1 + HEADER_LENGTH)),
      [META_KEK]: kekRef,
      [META_DEK]: encodeBase64url(wrappedDek),
    });
    if (envelope === null || envelope.header.layout !== "multipart") return undefined;
    return {
      envelope: { header: envelope.header, kekRef: envelope.kekRef, wrappedDek: envelope.wrappedDek },
      signed: b.subarray(0, at),
      tag: b.subarray(at),
    };
  } catch (err) {
    if (isCryptoError(err)) return undefined;
    throw err;
  }
}

/** True when the token's tag is right for this upstream UploadId under the key from its DEK. */
export function verifyUploadToken(
  token: DecodedUploadToken,
  tokenKey: Uint8Array,
  upstreamUploadId: string,
): boolean {
  if (Buffer.byteLength(upstreamUploadId, "utf8") > 0xffff) return false;
  const expected = tagOf(tokenKey, upstreamUploadId, token.signed);
  return token.tag.length === expected.length && timingSafeEqual(token.tag, expected);
}
