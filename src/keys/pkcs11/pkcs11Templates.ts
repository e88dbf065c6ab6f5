/**
 * Attribute templates of the HSM provider (PKCS#11 v2.40 §4 "Objects"; §4.1 how templates create objects).
 *
 * - The KEK: an AES-256 token object that never leaves the token (CKA_SENSITIVE true, CKA_EXTRACTABLE false:
 *   v2.40 secret key objects, so even C_WrapKey cannot export it) and can only wrap and unwrap keys (CKA_WRAP,
 *   CKA_UNWRAP; no encrypt/decrypt/sign/derive). CKA_PRIVATE: only a logged-in user sees it.
 * - The DEK on its way in and out: a session object (CKA_TOKEN false), which only this application's sessions
 *   can see and which disappears when its session closes, is CKA_PRIVATE, may be extracted (that is the point:
 *   the proxy needs the DEK) and may do nothing else. The provider destroys it right after use.
 *   CKK_GENERIC_SECRET, because the wrapped payload is 48 bytes (DEK and context tag, pkcs11WrapPayload.ts),
 *   which is not an AES key length.
 */
import {
  CKA_CLASS,
  CKA_DECRYPT,
  CKA_DERIVE,
  CKA_ENCRYPT,
  CKA_EXTRACTABLE,
  CKA_KEY_TYPE,
  CKA_LABEL,
  CKA_PRIVATE,
  CKA_SENSITIVE,
  CKA_SIGN,
  CKA_TOKEN,
  CKA_UNWRAP,
  CKA_VALUE,
  CKA_VALUE_LEN,
  CKA_VERIFY,
  CKA_WRAP,
  CKK_AES,
  CKK_GENERIC_SECRET,
  CKO_SECRET_KEY,
} from "./pkcs11Constants.ts";

export interface Pkcs11Attribute {
  type: number;
  value?: number | boolean | string | Buffer;
}

/** The template for C_GenerateKey (CKM_AES_KEY_GEN) of a KEK labelled `label`: what docs/KEYS.md tells HSM admins. */
export function kekTemplate(label: string): Pkcs11Attribute[] {
  return [
    { type: CKA_CLASS, value: CKO_SECRET_KEY },
    { type: CKA_KEY_TYPE, value: CKK_AES },
    { type: CKA_VALUE_LEN, value: 32 },
    { type: CKA_LABEL, value: label },
    { type: CKA_TOKEN, value: true },
    { type: CKA_PRIVATE, value: true },
    { type: CKA_SENSITIVE, value: true },
    { type: CKA_EXTRACTABLE, value: false },
    { type: CKA_WRAP, value: true },
    { type: CKA_UNWRAP, value: true },
    { type: CKA_ENCRYPT, value: false },
    { type: CKA_DECRYPT, value: false },
    { type: CKA_SIGN, value: false },
    { type: CKA_VERIFY, value: false },
    { type: CKA_DERIVE, value: false },
  ];
}

/** A DEK that may be extracted by this session and used for nothing. */
function sessionSecret(): Pkcs11Attribute[] {
  return [
    { type: CKA_CLASS, value: CKO_SECRET_KEY },
    { type: CKA_KEY_TYPE, value: CKK_GENERIC_SECRET },
    { type: CKA_TOKEN, value: false },
    { type: CKA_PRIVATE, value: true },
    { type: CKA_SENSITIVE, value: false },
    { type: CKA_EXTRACTABLE, value: true },
    { type: CKA_WRAP, value: false },
    { type: CKA_UNWRAP, value: false },
    { type: CKA_ENCRYPT, value: false },
    { type: CKA_DECRYPT, value: false },
    { type: CKA_SIGN, value: false },
    { type: CKA_VERIFY, value: false },
    { type: CKA_DERIVE, value: false },
  ];
}

/** C_CreateObject template holding the payload to wrap. */
export function payloadObjectTemplate(payload: Buffer): Pkcs11Attribute[] {
  return [...sessionSecret(), { type: CKA_VALUE, value: payload }];
}

/** C_UnwrapKey template: the token fills in CKA_VALUE (and its length) from the unwrapped bytes. */
export function unwrappedPayloadTemplate(): Pkcs11Attribute[] {
  return sessionSecret();
}
