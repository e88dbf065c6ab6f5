/**
 * A start-up self-test of the active KEK: wrap a random 48-byte payload exactly as a DEK is wrapped
 * (pkcs11WrapPayload.ts), unwrap it again and compare. It shows at start, not at the first PUT, when the token
 * lacks CKM_AES_KEY_WRAP for C_WrapKey/C_UnwrapKey (PKCS#11 v2.40 Current Mechanisms "AES Key Wrap"), refuses to
 * create the extractable CKK_GENERIC_SECRET session objects the provider needs (some HSMs in a strict FIPS mode
 * forbid importing key values with C_CreateObject), or the KEK cannot unwrap what it wrapped.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { PKCS11 } from "pkcs11js";
import { KeySourceError } from "../errors.ts";
import { classifyPkcs11Error, describePkcs11Error } from "./classifyPkcs11Error.ts";
import { CKA_VALUE, CKM_AES_KEY_WRAP } from "./pkcs11Constants.ts";
import { payloadObjectTemplate, unwrappedPayloadTemplate } from "./pkcs11Templates.ts";
import { PKCS11_PAYLOAD_LENGTH } from "./pkcs11WrapPayload.ts";

export function checkKeyWrap(api: PKCS11, session: Buffer, key: Buffer, label: string, where: string): void {
  const payload = randomBytes(PKCS11_PAYLOAD_LENGTH);
  const mechanism = { mechanism: CKM_AES_KEY_WRAP };
  let step = "C_CreateObject (an extractable CKK_GENERIC_SECRET session object)";
  try {
    const object = api.C_CreateObject(session, payloadObjectTemplate(payload));
    let wrapped: Buffer;
    try {
      step = "C_WrapKey with CKM_AES_KEY_WRAP";
      wrapped = api.C_WrapKey(session, mechanism, key, object, Buffer.alloc(128));
    } finally {
      api.C_DestroyObject(session, object);
    }
    step = "C_UnwrapKey with CKM_AES_KEY_WRAP";
    const unwrapped = api.C_UnwrapKey(session, mechanism, key, wrapped, unwrappedPayloadTemplate());
    let value: Buffer | undefined;
    try {
      step = "C_GetAttributeValue(CKA_VALUE) of the unwrapped session object";
      value = api.C_GetAttributeValue(session, unwrapped, [{ type: CKA_VALUE }])[0]?.value;
    } finally {
      api.C_DestroyObject(session, unwrapped);
    }
    if (value?.length !== payload.length || !timingSafeEqual(value, payload)) {
      throw new KeySourceError(`${where}: the key labelled "${label}" did not unwrap what it wrapped`);
    }
    value.fill(0);
  } catch (err) {
    if (err instanceof KeySourceError || classifyPkcs11Error(err) === "lost") throw err;
    throw new KeySourceError(
      `${where}: the key labelled "${label}" failed the start-up wrap test at ${step} ` +
        `(${describePkcs11Error(err)}); docs/KEYS.md lists what the token must support`,
      { cause: err },
    );
  } finally {
    payload.fill(0);
  }
}
