/**
 * The public surface of the key providers (docs/KEYS.md): the KeyProvider contract, its typed errors, the
 * local `aeskw` provider with its key sources, and the key-file operations behind `s3proxy keys`; the AWS KMS
 * provider, the KeyRing over several providers, its DEK cache and retries.
 */
export { addKey, setActiveKey } from "./addKey.ts";
export { buildKeyRing } from "./buildKeyRing.ts";
export type { BuildKeyRingOptions, KeyProviderRegistration } from "./buildKeyRing.ts";
export { CachingKeyProvider } from "./CachingKeyProvider.ts";
export { createDevelopmentKeyFile, DEVELOPMENT_KEY_PREFIX } from "./createDevelopmentKeyFile.ts";
export type { DevelopmentKeyFile, DevelopmentKeyOptions } from "./createDevelopmentKeyFile.ts";
export { DekCache } from "./DekCache.ts";
export type { DekCacheOptions } from "./DekCache.ts";
export { dekContextFor, dekContextPairs } from "./dekContext.ts";
export type { DekContext } from "./dekContext.ts";
export {
  DekUnwrapError,
  isKeyProviderError,
  KEY_ERROR_CODES,
  KekNotFoundError,
  KeyProviderError,
  KeyProviderUnavailableError,
  KeySourceError,
} from "./errors.ts";
export type { KeyErrorCode } from "./errors.ts";
export { generateKek, newKekId } from "./generateKek.ts";
export { decodeKekBase64, encodeKekBase64 } from "./kekEncoding.ts";
export { formatKekRef, parseKekRef } from "./kekRef.ts";
export type { ParsedKekRef } from "./kekRef.ts";
export { KEY_FILE_VERSION, parseKeyFile, serializeKeyFile } from "./keyFileFormat.ts";
export type { GeneratedDataKey, KeyProvider, WrappedDek } from "./KeyProvider.ts";
export { KeyRing } from "./KeyRing.ts";
export { KEYSERVICE_SCHEME, KeyServiceProvider, openKeyServiceProvider } from "./KeyServiceProvider.ts";
export type { KeyServiceProviderOptions, KeyServiceTransport } from "./keyservice/keyServiceOptions.ts";
export {
  activeKekProvider,
  DEFAULT_DEK_CACHE,
  DEFAULT_KEY_RING_CONFIG,
  isKekProviderKind,
  KEK_PROVIDER_KINDS,
} from "./keyRingConfig.ts";
export type { DekCacheConfig, KekProviderKind, KeyRingConfig, KmsProviderConfig } from "./keyRingConfig.ts";
export { isValidKekId, KEK_ID_PATTERN, KEK_LENGTH, validateKeySet } from "./keySet.ts";
export type { Kek, KeySet } from "./keySet.ts";
export { createKmsApi, DEFAULT_KMS_TIMEOUTS } from "./kmsApi.ts";
export type { KmsApi, KmsClientOptions } from "./kmsApi.ts";
export { KEK_SCHEME_KMS, KmsKeyProvider } from "./KmsKeyProvider.ts";
export type { KmsKeyProviderOptions } from "./KmsKeyProvider.ts";
export { classifyKmsError, kmsKeyError } from "./kmsKeyError.ts";
export { kmsKeyRegion } from "./kmsKeyRegion.ts";
export { loadKeyDirectory } from "./loadKeyDirectory.ts";
export { loadKeyFile } from "./loadKeyFile.ts";
export {
  DEFAULT_KEYS_ENV,
  describeKeySource,
  loadLocalKeyProvider,
  loadLocalKeySet,
} from "./loadLocalKeyProvider.ts";
export type { LocalKeySource } from "./loadLocalKeyProvider.ts";
export { LocalKeyProvider } from "./LocalKeyProvider.ts";
export { parseKeyEnv } from "./parseKeyEnv.ts";
export { openPkcs11KeyProvider, PKCS11_SCHEME, Pkcs11KeyProvider } from "./Pkcs11KeyProvider.ts";
export type { Pkcs11ProviderOptions } from "./pkcs11/pkcs11Options.ts";
export type { Pkcs11PinSource } from "./pkcs11/readPkcs11Pin.ts";
export { remoteKeyProviders } from "./remoteKeyProviders.ts";
export { RetryingKeyProvider } from "./RetryingKeyProvider.ts";
export { backoffDelayMs, DEFAULT_RETRY_POLICY, retryTransient } from "./retryTransient.ts";
export type { RetryEnvironment, RetryPolicy } from "./retryTransient.ts";
export { withActiveKey, withKey } from "./withKey.ts";
