/**
 * The envelope as S3 user metadata (docs/FORMAT.md §2): three `x-amz-meta-s3proxy-*` headers.
 *
 *   x-amz-meta-s3proxy-hdr  base64url(68-byte envelope header)   immutable, bound into every record's AAD
 *   x-amz-meta-s3proxy-kek  <scheme>:<key id>                    which KEK/provider wrapped the DEK
 *   x-amz-meta-s3proxy-dek  base64url(wrapped DEK)                opaque to everything but that provider
 *   x-amz-meta-s3proxy-md5  base64url(sealed plaintext MD5)       optional (§2.1), for the client's ETag
 *
 * Re-wrapping (KEK rotation) rewrites only the kek/dek values. The hdr header is the marker: an object without
 * it (and without the other two) is not ours and passes through as legacy plaintext; an object with any of them
 * that cannot be read is a typed FormatError, never plaintext.
 */
import { decodeBase64url, encodeBase64url } from "./base64url.ts";
import { decodeEnvelopeHeader, type EnvelopeHeader } from "./envelopeHeader.ts";
import { FormatError, KeyError } from "./errors.ts";
import {
  KEK_REF_MAX_LENGTH,
  META_DEK,
  META_HEADER,
  META_KEK,
  META_MD5,
  SEALED_MD5_LENGTH,
  WRAPPED_DEK_MAX_LENGTH,
} from "./formatConstants.ts";

export interface Envelope {
  header: EnvelopeHeader;
  /** `<scheme>:<id>`, e.g. `aeskw:prod-2025` or `kms:arn:aws:kms:…`. */
  kekRef: string;
  /** The DEK as wrapped by the provider named in kekRef. */
  wrappedDek: Buffer;
  /** The plaintext MD5 sealed under the DEK (plaintextMd5.ts), when the writer knew it up front. */
  sealedMd5?: Buffer;
}

/** Header values as Node or an S3 SDK hand them over; names are matched case-insensitively. */
export type MetadataHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** scheme: lowercase letter then up to 15 lowercase letters/digits; id: printable ASCII, no spaces. */
const KEK_REF = /^[a-z][a-z0-9]{0,15}:[\x21-\x7e]+$/;

export function isValidKekRef(kekRef: string): boolean {
  return kekRef.length <= KEK_REF_MAX_LENGTH && KEK_REF.test(kekRef);
}

/** The scheme part of a KEK reference (`aeskw`, `kms`, …): selects the key provider. */
export function kekScheme(kekRef: string): string {
  const colon = kekRef.indexOf(":");
  return colon < 0 ? "" : kekRef.slice(0, colon);
}

export function encodeEnvelopeMetadata(envelope: Envelope): Record<string, string> {
  if (!isValidKekRef(envelope.kekRef)) {
    throw new KeyError(
      "KeyInvalid",
      `KEK reference must match <scheme>:<id> (printable ASCII, <= ${KEK_REF_MAX_LENGTH})`,
    );
  }
  const wrapped = envelope.wrappedDek.byteLength;
  if (wrapped < 1 || wrapped > WRAPPED_DEK_MAX_LENGTH) {
    throw new KeyError(
      "KeyInvalid",
      `wrapped DEK must be 1..${WRAPPED_DEK_MAX_LENGTH} bytes, got ${wrapped}`,
    );
  }
  if (envelope.sealedMd5 !== undefined && envelope.sealedMd5.byteLength !== SEALED_MD5_LENGTH) {
    throw new FormatError("FormatMalformedEnvelope", `sealed MD5 must be ${SEALED_MD5_LENGTH} bytes`);
  }
  return {
    [META_HEADER]: encodeBase64url(envelope.header.bytes),
    [META_KEK]: envelope.kekRef,
    [META_DEK]: encodeBase64url(envelope.wrappedDek),
    ...(envelope.sealedMd5 === undefined ? {} : { [META_MD5]: encodeBase64url(envelope.sealedMd5) }),
  };
}

/** Bytes S3 counts against its 2 KB user-metadata cap, counting names with their `x-amz-meta-` prefix. */
export function metadataBytes(metadata: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(metadata)) {
    total += Buffer.byteLength(name, "utf8") + Buffer.byteLength(value, "utf8");
  }
  return total;
}

function lookup(headers: MetadataHeaders, name: string): string | undefined {
  let found: string | undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || key.toLowerCase() !== name) continue;
    if (found !== undefined || typeof value !== "string") {
      throw new FormatError("FormatMalformedEnvelope", `${name} appears more than once`);
    }
    found = value;
  }
  return found;
}

/**
 * The object's envelope, or null when the object carries none of our metadata (legacy plaintext).
 * Throws FormatError for an envelope that is present but unreadable (malformed, unknown version or suite).
 */
export function readEnvelopeMetadata(headers: MetadataHeaders): Envelope | null {
  const hdr = lookup(headers, META_HEADER);
  const kek = lookup(headers, META_KEK);
  const dek = lookup(headers, META_DEK);
  if (hdr === undefined) {
    if (kek === undefined && dek === undefined && lookup(headers, META_MD5) === undefined) return null;
    throw new FormatError(
      "FormatMalformedEnvelope",
      `${META_HEADER} is missing but other envelope fields exist`,
    );
  }
  const headerBytes = decodeBase64url(hdr);
  if (headerBytes === undefined)
    throw new FormatError("FormatMalformedEnvelope", `${META_HEADER} is not base64url`);
  // Version first: a future version may use the other fields differently.
  const header = decodeEnvelopeHeader(headerBytes);
  if (kek === undefined || !isValidKekRef(kek)) {
    throw new FormatError("FormatMalformedEnvelope", `${META_KEK} is missing or not <scheme>:<id>`);
  }
  const wrappedDek = dek === undefined ? undefined : decodeBase64url(dek);
  if (wrappedDek === undefined || wrappedDek.length < 1 || wrappedDek.length > WRAPPED_DEK_MAX_LENGTH) {
    throw new FormatError(
      "FormatMalformedEnvelope",
      `${META_DEK} is missing, not base64url, or of bad length`,
    );
  }
  const md5 = lookup(headers, META_MD5);
  if (md5 === undefined) return { header, kekRef: kek, wrappedDek };
  const sealedMd5 = decodeBase64url(md5);
  if (sealedMd5?.length !== SEALED_MD5_LENGTH) {
    throw new FormatError(
      "FormatMalformedEnvelope",
      `${META_MD5} is not base64url of ${SEALED_MD5_LENGTH} bytes`,
    );
  }
  return { header, kekRef: kek, wrappedDek, sealedMd5 };
}
