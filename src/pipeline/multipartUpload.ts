/**
 * What every multipart handler does with the client's UploadId (docs/FORMAT.md §15): find it in the query,
 * split off the upload token, and — before any byte of a part is read — authenticate the token with the DEK its
 * key provider unwraps. Any replica can do this alone: the token carries the envelope, the tag binds it to the
 * upstream UploadId. The upstream request then carries the upstream UploadId in place of the client's. The part
 * handlers (UploadPart, UploadPartCopy) also check here that a part's ciphertext fits S3's part limit.
 */
import { ciphertextLength, isCryptoError, openObjectKeys, type ObjectKeys } from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import { dekContextFor, isKeyProviderError } from "../keys/index.ts";
import { splitClientUploadId } from "../multipart/clientUploadId.ts";
import {
  decodeUploadToken,
  deriveUploadTokenKey,
  verifyUploadToken,
  type UploadEnvelope,
} from "../multipart/uploadToken.ts";
import type { S3Endpoint } from "../s3/S3Endpoint.ts";
import { MAX_PUT_SIZE } from "../s3body/parsePayloadMode.ts";
import { splitRawQuery } from "../sigv4/rawQuery.ts";
import { uriEncode } from "../sigv4/uriEncode.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";

export interface OpenedUpload {
  /** The UploadId as the client sent it. */
  clientUploadId: string;
  upstreamUploadId: string;
  envelope: UploadEnvelope;
  keys: ObjectKeys;
}

const TOKENLESS =
  "This UploadId carries no s3proxy upload token: the upload was not created through s3proxy, or the id " +
  "comes from ListMultipartUploads, which shows upstream ids without their token. Such an upload cannot be " +
  "continued through s3proxy; abort it and upload again.";
const INVALID = "The UploadId's s3proxy upload token is not valid for this upload (altered or forged).";

/** The decoded `uploadId` query parameter (present: the operation table requires it). */
export function clientUploadIdOf(endpoint: Pick<S3Endpoint, "query">): string {
  const found = endpoint.query.find(([name]) => name === "uploadId");
  if (found === undefined || found[1] === "") throw new ProxyError("NoSuchUpload", "The UploadId is empty.");
  return found[1];
}

/** The client's raw query with `uploadId` replaced by the upstream id; every other parameter as sent. */
export function upstreamUploadQuery(rawQuery: string, upstreamUploadId: string): string {
  return splitRawQuery(rawQuery)
    .map((p) => (p.name === "uploadId" ? `uploadId=${uriEncode(upstreamUploadId)}` : p.raw))
    .join("&");
}

/** The upstream UploadId without authenticating anything (AbortMultipartUpload moves no data). */
export function upstreamUploadIdOf(clientUploadId: string): string {
  return splitClientUploadId(clientUploadId).upstreamId;
}

/**
 * Splits and authenticates the client's UploadId. NoSuchUpload for an id without a token or with a token that
 * does not verify; a key provider that is down stays retryable (ServiceUnavailable, via toPipelineError).
 */
export async function openClientUpload(clientUploadId: string, deps: S3StepDeps): Promise<OpenedUpload> {
  const split = splitClientUploadId(clientUploadId);
  if (split.kind === "tokenless") throw new ProxyError("NoSuchUpload", TOKENLESS);
  const token = decodeUploadToken(split.token);
  if (token === undefined) throw new ProxyError("NoSuchUpload", INVALID);
  const { envelope } = token;
  let dek: Buffer;
  try {
    dek = await deps.keys.unwrapDek(envelope.kekRef, envelope.wrappedDek, dekContextFor(envelope.header));
  } catch (err) {
    if (isKeyProviderError(err) && !err.retryable)
      throw new ProxyError("NoSuchUpload", INVALID, { cause: err });
    throw err;
  }
  try {
    const keys = openObjectKeys(envelope.header, dek);
    const tokenKey = deriveUploadTokenKey(dek, envelope.header.salt);
    const valid = verifyUploadToken(token, tokenKey, split.upstreamId);
    tokenKey.fill(0);
    if (!valid) throw new ProxyError("NoSuchUpload", INVALID);
    return { clientUploadId, upstreamUploadId: split.upstreamId, envelope, keys };
  } catch (err) {
    if (isCryptoError(err)) throw new ProxyError("NoSuchUpload", INVALID, { cause: err });
    throw err;
  } finally {
    dek.fill(0);
  }
}

/** The stored (ciphertext) length of a part of `length` plaintext bytes; S3's 5 GiB part limit applies to it. */
export function encryptedPartLength(upload: OpenedUpload, length: number): number {
  const stored = ciphertextLength(length, upload.envelope.header.segmentExponent);
  if (stored > MAX_PUT_SIZE) {
    throw new ProxyError(
      "EntityTooLarge",
      `A part of ${length} bytes is ${stored} bytes encrypted, more than S3's 5 GiB part limit.`,
    );
  }
  return stored;
}
