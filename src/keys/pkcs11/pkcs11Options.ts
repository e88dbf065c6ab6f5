/**
 * Configuration of the `pkcs11` key provider (docs/KEYS.md "PKCS#11 HSM"), as the CLI builds it from
 * `--pkcs11-*` flags, and its validation. Key labels become KEK ids in every object's reference
 * (`pkcs11:<label>`), so they follow the KEK id rules of local keys.
 */
import { KeySourceError } from "../errors.ts";
import { isValidKekId, KEK_ID_RULE } from "../keySet.ts";
import type { Pkcs11TokenSelector } from "./findTokenSlot.ts";
import type { Pkcs11PinSource } from "./readPkcs11Pin.ts";

export interface Pkcs11ProviderOptions {
  /** Path of the PKCS#11 library (`--pkcs11-module`), e.g. /usr/lib/softhsm/libsofthsm2.so. */
  readonly module: string;
  /** The token, by label (`--pkcs11-token`) or slot id (`--pkcs11-slot`). */
  readonly token: Pkcs11TokenSelector;
  /** Where the user PIN comes from (`S3PROXY_PKCS11_PIN`, `--pkcs11-pin-file`). */
  readonly pin: Pkcs11PinSource;
  /** CKA_LABEL of the KEK new DEKs are wrapped with (`--pkcs11-key`). */
  readonly activeKeyLabel: string;
  /** Labels of older KEKs that still unwrap (`--pkcs11-old-key`, repeatable). */
  readonly oldKeyLabels?: readonly string[];
  /** Sessions opened at most, i.e. HSM calls in flight (default 4). */
  readonly maxSessions?: number;
  /** Least time between two reconnect attempts once the token failed, in ms (default 1000). */
  readonly reconnectIntervalMs?: number;
  /** Clock (ms) for the reconnect interval; tests replace it. */
  readonly now?: () => number;
}

export interface ValidPkcs11Options {
  readonly module: string;
  readonly token: Pkcs11TokenSelector;
  readonly pin: Pkcs11PinSource;
  readonly activeKeyLabel: string;
  readonly oldKeyLabels: readonly string[];
  readonly maxSessions: number;
  readonly reconnectIntervalMs: number;
  readonly now: () => number;
}

export const DEFAULT_PKCS11_SESSIONS = 4;
export const DEFAULT_PKCS11_RECONNECT_INTERVAL_MS = 1000;

export function validatePkcs11Options(options: Pkcs11ProviderOptions): ValidPkcs11Options {
  if (options.module.trim() === "") throw new KeySourceError("the PKCS#11 module path is empty");
  if ("label" in options.token && options.token.label.trim() === "") {
    throw new KeySourceError("the PKCS#11 token label is empty");
  }
  if (
    "slotId" in options.token &&
    !(Number.isSafeInteger(options.token.slotId) && options.token.slotId >= 0)
  ) {
    throw new KeySourceError("the PKCS#11 slot id must be a non-negative integer");
  }
  const oldKeyLabels = options.oldKeyLabels ?? [];
  const labels = [options.activeKeyLabel, ...oldKeyLabels];
  labels.forEach((label, i) => {
    if (!isValidKekId(label)) {
      // The value is not repeated, in case a secret was pasted in the wrong place (as for local key ids).
      const which = i === 0 ? "the active key label" : `old key label #${i}`;
      throw new KeySourceError(
        `${which} (${label.length} characters) is invalid: PKCS#11 key labels name KEKs in every object ` +
          `(pkcs11:<label>), so they are ${KEK_ID_RULE}`,
      );
    }
  });
  const duplicate = labels.find((label, i) => labels.indexOf(label) !== i);
  if (duplicate !== undefined)
    throw new KeySourceError(`the PKCS#11 key label "${duplicate}" is given twice`);
  const maxSessions = options.maxSessions ?? DEFAULT_PKCS11_SESSIONS;
  if (!Number.isInteger(maxSessions) || maxSessions < 1 || maxSessions > 1024) {
    throw new KeySourceError(`the PKCS#11 session count must be 1..1024, got ${maxSessions}`);
  }
  const reconnectIntervalMs = options.reconnectIntervalMs ?? DEFAULT_PKCS11_RECONNECT_INTERVAL_MS;
  if (!Number.isFinite(reconnectIntervalMs) || reconnectIntervalMs < 0) {
    throw new KeySourceError("the PKCS#11 reconnect interval must be a non-negative number of milliseconds");
  }
  return {
    module: options.module,
    token: options.token,
    pin: options.pin,
    activeKeyLabel: options.activeKeyLabel,
    oldKeyLabels,
    maxSessions,
    reconnectIntervalMs,
    now: options.now ?? Date.now,
  };
}
