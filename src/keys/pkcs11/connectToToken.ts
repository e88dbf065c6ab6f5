/**
 * One connection to the token: find its slot, open a read-only session (session objects may be created in R/O
 * sessions, PKCS#11 v2.40 §5.6 C_OpenSession; the provider never writes token objects), log the user in, look
 * up every configured KEK and test-wrap with the active one (checkKeyWrap.ts). A login that fails because of the PIN is reported as such (`pinRefused`), so the
 * provider never repeats it: tokens lock the user PIN after a few wrong attempts (CKR_PIN_LOCKED).
 */
import type { PKCS11 } from "pkcs11js";
import { KeySourceError } from "../errors.ts";
import { checkKeyWrap } from "./checkKeyWrap.ts";
import { classifyPkcs11Error, describePkcs11Error, pkcs11ReturnValue } from "./classifyPkcs11Error.ts";
import { findTokenSlot, type Pkcs11TokenSelector } from "./findTokenSlot.ts";
import { findWrappingKey } from "./findWrappingKey.ts";
import { CKF_SERIAL_SESSION, CKR, CKU_USER } from "./pkcs11Constants.ts";

export interface TokenConnection {
  readonly slot: Buffer;
  /** The logged-in session; the caller owns it. */
  readonly session: Buffer;
  /** KEK handles by label. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

export interface TokenTarget {
  readonly token: Pkcs11TokenSelector;
  readonly activeKeyLabel: string;
  readonly oldKeyLabels: readonly string[];
  /** "token "x" (module /path)" for messages. */
  readonly where: string;
}

/** The token refused the PIN. A KeySourceError: at start-up the proxy does not start. */
export class Pkcs11PinRefusedError extends KeySourceError {
  constructor(where: string, cause: unknown) {
    super(`${where} refused the user PIN (${describePkcs11Error(cause)}); the PIN is not shown`, { cause });
    this.name = "Pkcs11PinRefusedError";
  }
}

export function openSession(api: PKCS11, slot: Buffer): Buffer {
  return api.C_OpenSession(slot, CKF_SERIAL_SESSION);
}

export function connectToToken(api: PKCS11, target: TokenTarget, pin: string): TokenConnection {
  const slot = findTokenSlot(api, target.token);
  const session = openSession(api, slot);
  try {
    try {
      api.C_Login(session, CKU_USER, pin);
    } catch (err) {
      // Login state is per application and token: another connection of this process may hold it already.
      if (pkcs11ReturnValue(err) !== CKR.USER_ALREADY_LOGGED_IN) {
        throw classifyPkcs11Error(err) === "login" ? new Pkcs11PinRefusedError(target.where, err) : err;
      }
    }
    const keys = new Map<string, Buffer>([
      [target.activeKeyLabel, findWrappingKey(api, session, target.activeKeyLabel, "active", target.where)],
      ...target.oldKeyLabels.map(
        (label) => [label, findWrappingKey(api, session, label, "old", target.where)] as const,
      ),
    ]);
    checkKeyWrap(api, session, keys.get(target.activeKeyLabel)!, target.activeKeyLabel, target.where);
    return { slot, session, keys };
  } catch (err) {
    try {
      api.C_CloseSession(session);
    } catch {
      // Already failing; the session dies with the library state anyway.
    }
    throw err;
  }
}
