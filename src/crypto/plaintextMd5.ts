/**
 * The optional `x-amz-meta-s3proxy-md5` field (docs/FORMAT.md §2.1): the MD5 of the object's plaintext, sealed
 * so that the storage provider learns nothing from it (a clear MD5 would let anyone confirm a guessed
 * plaintext) while the proxy can still answer with the ETag S3 would have given for the plaintext. Clients such
 * as rclone and s3cmd compare a single-part ETag with their own MD5 of the data.
 *
 *   sealed = AES-256-GCM(md5Key, nonce = 0^96, aad = envelope header (68 bytes), MD5(plaintext)) || tag
 *
 * A fixed nonce is safe here: md5Key is unique to one DEK and salt (§4.2), and a DEK encrypts exactly one
 * object, so the key only ever seals one value (resealing the same value yields the same bytes). The header as
 * AAD binds the field to this object's envelope; a field copied from another object fails authentication.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { DecryptError, FormatError } from "./errors.ts";
import { GCM_NONCE_LENGTH, SEALED_MD5_LENGTH, TAG_LENGTH } from "./formatConstants.ts";
import type { ObjectKeys } from "./objectKeys.ts";

const MD5_LENGTH = 16;
const ZERO_NONCE = Buffer.alloc(GCM_NONCE_LENGTH);

export function sealPlaintextMd5(keys: ObjectKeys, md5: Uint8Array): Buffer {
  if (md5.byteLength !== MD5_LENGTH) throw new FormatError("FormatMalformedEnvelope", "an MD5 is 16 bytes");
  const cipher = createCipheriv("aes-256-gcm", keys.md5Key(), ZERO_NONCE, { authTagLength: TAG_LENGTH });
  cipher.setAAD(keys.header.bytes);
  return Buffer.concat([cipher.update(md5), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext MD5; DecryptAuthFailed if the sealed value was altered or belongs to another envelope. */
export function openPlaintextMd5(keys: ObjectKeys, sealed: Uint8Array): Buffer {
  if (sealed.byteLength !== SEALED_MD5_LENGTH) {
    throw new FormatError("FormatMalformedEnvelope", `sealed MD5 must be ${SEALED_MD5_LENGTH} bytes`);
  }
  const decipher = createDecipheriv("aes-256-gcm", keys.md5Key(), ZERO_NONCE, { authTagLength: TAG_LENGTH });
  decipher.setAAD(keys.header.bytes);
  decipher.setAuthTag(sealed.subarray(MD5_LENGTH));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, MD5_LENGTH)), decipher.final()]);
  } catch (err) {
    throw new DecryptError("DecryptAuthFailed", "the sealed plaintext MD5 failed authentication", {
      cause: err,
    });
  }
}
