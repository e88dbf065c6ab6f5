/**
 * The public surface of the encryption format module (docs/FORMAT.md): a pure module with no I/O. The S3
 * pipeline, the multipart handler, the key providers and the offline recovery tool import from here.
 */
export { decodeBase64url, encodeBase64url } from "./base64url.ts";
export { createEnvelope, defaultRandomBytes } from "./createEnvelope.ts";
export type { CreateEnvelopeOptions, NewEnvelope, RandomBytes } from "./createEnvelope.ts";
export { createDecryptStream } from "./decryptStream.ts";
export type { DecryptStreamOptions } from "./decryptStream.ts";
export { checkPartNumber, createEncryptStream } from "./encryptStream.ts";
export type { EncryptStreamOptions } from "./encryptStream.ts";
export { decodeEnvelopeHeader, encodeEnvelopeHeader } from "./envelopeHeader.ts";
export type { EnvelopeHeader, EnvelopeHeaderFields } from "./envelopeHeader.ts";
export {
  encodeEnvelopeMetadata,
  isValidKekRef,
  kekScheme,
  metadataBytes,
  readEnvelopeMetadata,
} from "./envelopeMetadata.ts";
export type { Envelope, MetadataHeaders } from "./envelopeMetadata.ts";
export {
  CRYPTO_ERROR_CODES,
  CryptoError,
  DecryptError,
  FormatError,
  isCryptoError,
  KeyError,
  LengthError,
} from "./errors.ts";
export type { CryptoErrorCode } from "./errors.ts";
export {
  DEFAULT_SEGMENT_EXPONENT,
  FORMAT_VERSION,
  KEK_SCHEME_AES_KW,
  META_DEK,
  META_HEADER,
  META_KEK,
  META_MD5,
  RECORD_OVERHEAD,
  S3_USER_METADATA_LIMIT,
} from "./formatConstants.ts";
export type { Layout } from "./formatConstants.ts";
export { aesKeyUnwrap, aesKeyWrap, unwrapDekAesKw, wrapDekAesKw } from "./keyWrap.ts";
export { partSpan, partSpans, validateMultipartParts } from "./multipartLayout.ts";
export type { MultipartGeometry, PartSpan } from "./multipartLayout.ts";
export { openObjectKeys } from "./objectKeys.ts";
export type { ObjectKeys } from "./objectKeys.ts";
export { authenticateRecord, openRecord, partSegmentsFromFirstRecord } from "./openRecord.ts";
export type { OpenedRecord, OpenRecordInput } from "./openRecord.ts";
export { openPlaintextMd5, sealPlaintextMd5 } from "./plaintextMd5.ts";
export { planRange } from "./rangePlan.ts";
export type { PlanRangeInput, RangePlan } from "./rangePlan.ts";
export { decodeRecordHeader } from "./recordHeader.ts";
export type { RecordHeader } from "./recordHeader.ts";
export { sealRecord } from "./sealRecord.ts";
export {
  ciphertextLength,
  plaintextLength,
  recordCount,
  recordLength,
  recordSize,
  segmentCount,
  segmentSize,
} from "./segmentMath.ts";
