/**
 * What a failed PKCS#11 call means for the provider, from its CK_RV return value (PKCS#11 v2.40 §5.1). pkcs11js
 * throws a Pkcs11Error whose `code` is the CK_RV and whose message is its name ("CKR_PIN_INCORRECT"): neither
 * holds arguments, so PINs and key bytes never reach these errors.
 *
 * - `lost`: the session, the login, the token or the library state is gone (v2.40 §5.1:
 *   CKR_SESSION_HANDLE_INVALID, CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT, or a key handle that no longer names
 *   an object because the token was replaced). The provider drops its sessions, reconnects and retries once.
 * - `rejected`: the token says the wrapped DEK itself is wrong (CKR_WRAPPED_KEY_INVALID and friends).
 * - `login`: the PIN was refused (CKR_PIN_*). Never retried: repeated wrong PINs lock the token.
 * - `ambiguous`: CKR_GENERAL_ERROR / CKR_FUNCTION_FAILED. SoftHSM 2.6 answers a failed AES key wrap integrity
 *   check (RFC 3394 §2.2.3) this way, but a broken device does too; the provider decides by probing the token.
 * - `other`: anything else (mechanism or template refused, not a PKCS#11 error at all).
 */
import { CKR, type CkrName } from "./pkcs11Constants.ts";

export type Pkcs11ErrorKind = "lost" | "rejected" | "login" | "ambiguous" | "other";

const KIND_BY_CODE: ReadonlyMap<number, Pkcs11ErrorKind> = new Map<number, Pkcs11ErrorKind>([
  ...(
    [
      "DEVICE_ERROR",
      "DEVICE_MEMORY",
      "DEVICE_REMOVED",
      "SESSION_CLOSED",
      "SESSION_HANDLE_INVALID",
      "TOKEN_NOT_PRESENT",
      "TOKEN_NOT_RECOGNIZED",
      "USER_NOT_LOGGED_IN",
      "CRYPTOKI_NOT_INITIALIZED",
      "SLOT_ID_INVALID",
      "KEY_HANDLE_INVALID",
      "OBJECT_HANDLE_INVALID",
      "WRAPPING_KEY_HANDLE_INVALID",
      "UNWRAPPING_KEY_HANDLE_INVALID",
    ] satisfies CkrName[]
  ).map((name) => [CKR[name], "lost"] as const),
  ...(
    [
      "WRAPPED_KEY_INVALID",
      "WRAPPED_KEY_LEN_RANGE",
      "ENCRYPTED_DATA_INVALID",
      "ENCRYPTED_DATA_LEN_RANGE",
      "DATA_INVALID",
      "DATA_LEN_RANGE",
      "ARGUMENTS_BAD",
    ] satisfies CkrName[]
  ).map((name) => [CKR[name], "rejected"] as const),
  ...(
    [
      "PIN_INCORRECT",
      "PIN_INVALID",
      "PIN_LEN_RANGE",
      "PIN_EXPIRED",
      "PIN_LOCKED",
      "USER_PIN_NOT_INITIALIZED",
    ] satisfies CkrName[]
  ).map((name) => [CKR[name], "login"] as const),
  [CKR.GENERAL_ERROR, "ambiguous"],
  [CKR.FUNCTION_FAILED, "ambiguous"],
]);

const NAME_BY_CODE: ReadonlyMap<number, string> = new Map(
  Object.entries(CKR).map(([name, code]) => [code, `CKR_${name}`]),
);

/** The CK_RV of a pkcs11js error, or undefined for anything else. */
export function pkcs11ReturnValue(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === "number" && code > 0 && /^CKR_/.test(err.message) ? code : undefined;
}

export function classifyPkcs11Error(err: unknown): Pkcs11ErrorKind {
  const code = pkcs11ReturnValue(err);
  return code === undefined ? "other" : (KIND_BY_CODE.get(code) ?? "other");
}

/** "CKR_PIN_INCORRECT" for messages; the library's own name for codes not listed in pkcs11Constants.ts. */
export function describePkcs11Error(err: unknown): string {
  const code = pkcs11ReturnValue(err);
  if (code !== undefined) {
    return (
      NAME_BY_CODE.get(code) ?? (err as Error).message.split(/\s/, 1)[0] ?? `CK_RV 0x${code.toString(16)}`
    );
  }
  return err instanceof Error ? `${err.name}: ${err.message.split("\n", 1)[0] ?? ""}` : String(err);
}
