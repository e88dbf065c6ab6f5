/**
 * The public surface of the key providers (docs/KEYS.md): the KeyProvider contract, its typed errors, the
 * local `aeskw` provider with its key sources, and the key-file operations behind `s3proxy keys`.
 */
export { addKey, setActiveKey } from "./addKey.ts";
export { createDevelopmentKeyFile, DEVELOPMENT_KEY_PREFIX } from "./createDevelopmentKeyFile.ts";
export type { DevelopmentKeyFile, DevelopmentKeyOptions } from "./createDevelopmentKeyFile.ts";
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
export { isValidKekId, KEK_ID_PATTERN, KEK_LENGTH, validateKeySet } from "./keySet.ts";
export type { Kek, KeySet } from "./keySet.ts";
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
export { withActiveKey, withKey } from "./withKey.ts";
