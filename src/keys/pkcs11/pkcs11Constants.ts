/**
 * The PKCS#11 numbers the HSM provider uses, from the standard's header pkcs11t.h (PKCS#11 Base Specification
 * v2.40 and v3.0 give them the same values). They are spelled out here instead of read from pkcs11js so that
 * error classification and templates work without loading the native addon, and so every value used is in one
 * reviewable place; test/keys/pkcs11Constants.test.ts checks them against pkcs11js.
 */

/** Object class and key types (v2.40 §3 "General data types": CK_OBJECT_CLASS, CK_KEY_TYPE). */
export const CKO_SECRET_KEY = 0x04;
export const CKK_GENERIC_SECRET = 0x10;
export const CKK_AES = 0x1f;

/** Attributes (v2.40 §4 "Objects": common, storage, key and secret key object attributes). */
export const CKA_CLASS = 0x000;
export const CKA_TOKEN = 0x001;
export const CKA_PRIVATE = 0x002;
export const CKA_LABEL = 0x003;
export const CKA_VALUE = 0x011;
export const CKA_KEY_TYPE = 0x100;
export const CKA_SENSITIVE = 0x103;
export const CKA_ENCRYPT = 0x104;
export const CKA_DECRYPT = 0x105;
export const CKA_WRAP = 0x106;
export const CKA_UNWRAP = 0x107;
export const CKA_SIGN = 0x108;
export const CKA_VERIFY = 0x10a;
export const CKA_DERIVE = 0x10c;
export const CKA_VALUE_LEN = 0x161;
export const CKA_EXTRACTABLE = 0x162;

/** Mechanisms (PKCS#11 Current Mechanisms v2.40, "AES" and "AES Key Wrap"; CKM_AES_KEY_WRAP is RFC 3394). */
export const CKM_AES_KEY_GEN = 0x1080;
export const CKM_AES_KEY_WRAP = 0x2109;

/** Session flags (v2.40 §5.6 C_OpenSession), user type (§5.6 C_Login), C_Initialize flag (§5.4). */
export const CKF_RW_SESSION = 0x2;
export const CKF_SERIAL_SESSION = 0x4;
export const CKU_USER = 1;
export const CKF_OS_LOCKING_OK = 0x2;

/** Return values (v2.40 §5.1 "Function return values") the provider tells apart. */
export const CKR = {
  HOST_MEMORY: 0x002,
  SLOT_ID_INVALID: 0x003,
  GENERAL_ERROR: 0x005,
  FUNCTION_FAILED: 0x006,
  ARGUMENTS_BAD: 0x007,
  DATA_INVALID: 0x020,
  DATA_LEN_RANGE: 0x021,
  DEVICE_ERROR: 0x030,
  DEVICE_MEMORY: 0x031,
  DEVICE_REMOVED: 0x032,
  ENCRYPTED_DATA_INVALID: 0x040,
  ENCRYPTED_DATA_LEN_RANGE: 0x041,
  KEY_HANDLE_INVALID: 0x060,
  OBJECT_HANDLE_INVALID: 0x082,
  PIN_INCORRECT: 0x0a0,
  PIN_INVALID: 0x0a1,
  PIN_LEN_RANGE: 0x0a2,
  PIN_EXPIRED: 0x0a3,
  PIN_LOCKED: 0x0a4,
  SESSION_CLOSED: 0x0b0,
  SESSION_COUNT: 0x0b1,
  SESSION_HANDLE_INVALID: 0x0b3,
  TOKEN_NOT_PRESENT: 0x0e0,
  TOKEN_NOT_RECOGNIZED: 0x0e1,
  UNWRAPPING_KEY_HANDLE_INVALID: 0x0f0,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  USER_PIN_NOT_INITIALIZED: 0x102,
  WRAPPED_KEY_INVALID: 0x110,
  WRAPPED_KEY_LEN_RANGE: 0x112,
  WRAPPING_KEY_HANDLE_INVALID: 0x113,
  CRYPTOKI_NOT_INITIALIZED: 0x190,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const;

export type CkrName = keyof typeof CKR;
