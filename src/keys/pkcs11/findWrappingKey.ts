/**
 * The handle of a KEK on the token, found by CKA_LABEL, after checking it is what docs/KEYS.md asks for: exactly
 * one secret key with that label, AES-256, CKA_SENSITIVE and not CKA_EXTRACTABLE (PKCS#11 v2.40 §4 secret key
 * objects: its value can never leave the token, not even wrapped), CKA_UNWRAP, and CKA_WRAP for the active key.
 * A key that could be exported is refused rather than used: the point of the HSM is that the KEK stays inside.
 */
import type { PKCS11 } from "pkcs11js";
import { KeySourceError } from "../errors.ts";
import {
  CKA_CLASS,
  CKA_EXTRACTABLE,
  CKA_KEY_TYPE,
  CKA_LABEL,
  CKA_SENSITIVE,
  CKA_UNWRAP,
  CKA_VALUE_LEN,
  CKA_WRAP,
  CKK_AES,
  CKO_SECRET_KEY,
} from "./pkcs11Constants.ts";
import { ckBool, ckUlong } from "./pkcs11Values.ts";

export type WrappingKeyRole = "active" | "old";

export function findWrappingKey(
  api: PKCS11,
  session: Buffer,
  label: string,
  role: WrappingKeyRole,
  where: string,
): Buffer {
  api.C_FindObjectsInit(session, [
    { type: CKA_CLASS, value: CKO_SECRET_KEY },
    { type: CKA_LABEL, value: label },
  ]);
  let found: Buffer[];
  try {
    found = api.C_FindObjects(session, 2);
  } finally {
    api.C_FindObjectsFinal(session);
  }
  const key = found[0];
  if (key === undefined) {
    throw new KeySourceError(
      `${where} holds no secret key labelled "${label}" (or the PIN's user cannot see it)`,
    );
  }
  if (found.length > 1) {
    throw new KeySourceError(
      `${where} holds more than one secret key labelled "${label}"; labels must be unique`,
    );
  }
  const values = new Map(
    api
      .C_GetAttributeValue(session, key, [
        { type: CKA_KEY_TYPE },
        { type: CKA_VALUE_LEN },
        { type: CKA_SENSITIVE },
        { type: CKA_EXTRACTABLE },
        { type: CKA_WRAP },
        { type: CKA_UNWRAP },
      ])
      .map(({ type, value }) => [type, value]),
  );
  const problems: string[] = [];
  if (ckUlong(values.get(CKA_KEY_TYPE)) !== BigInt(CKK_AES)) problems.push("it is not an AES key (CKK_AES)");
  else if (ckUlong(values.get(CKA_VALUE_LEN)) !== 32n)
    problems.push("it is not 256 bits long (CKA_VALUE_LEN 32)");
  if (!ckBool(values.get(CKA_SENSITIVE))) problems.push("CKA_SENSITIVE is false");
  if (ckBool(values.get(CKA_EXTRACTABLE))) problems.push("CKA_EXTRACTABLE is true");
  if (!ckBool(values.get(CKA_UNWRAP))) problems.push("CKA_UNWRAP is false");
  if (role === "active" && !ckBool(values.get(CKA_WRAP)))
    problems.push("CKA_WRAP is false (needed for the active key)");
  if (problems.length > 0) {
    throw new KeySourceError(
      `the key labelled "${label}" on ${where} cannot be used as a KEK: ${problems.join("; ")} ` +
        "(docs/KEYS.md lists the attributes a KEK needs)",
    );
  }
  return key;
}
