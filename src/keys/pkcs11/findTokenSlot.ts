/**
 * The slot holding the configured token, by token label (CK_TOKEN_INFO.label: 32 bytes padded with blanks,
 * PKCS#11 v2.40 §3 "Slot and token types", so trailing blanks are ignored) or by slot id. Only slots with a token
 * present are considered (C_GetSlotList(tokenPresent = true), v2.40 §5.5).
 */
import type { PKCS11 } from "pkcs11js";
import { KeySourceError } from "../errors.ts";
import { ckUlong } from "./pkcs11Values.ts";

export type Pkcs11TokenSelector = { readonly label: string } | { readonly slotId: number };

export function describeToken(token: Pkcs11TokenSelector): string {
  return "label" in token ? `token "${token.label}"` : `the token in slot ${token.slotId}`;
}

export function findTokenSlot(api: PKCS11, token: Pkcs11TokenSelector): Buffer {
  const slots = api.C_GetSlotList(true);
  if ("slotId" in token) {
    const slot = slots.find((s) => ckUlong(s) === BigInt(token.slotId));
    if (slot === undefined) {
      throw new KeySourceError(
        `no token present in slot ${token.slotId} (slots with a token: ${slots.map((s) => String(ckUlong(s))).join(", ") || "none"})`,
      );
    }
    return slot;
  }
  const labels = slots.map((slot) => api.C_GetTokenInfo(slot).label.trimEnd());
  const matches = slots.filter((_, i) => labels[i] === token.label);
  if (matches.length === 0) {
    throw new KeySourceError(
      `no token labelled "${token.label}" (tokens present: ${labels.map((l) => `"${l}"`).join(", ") || "none"})`,
    );
  }
  if (matches.length > 1) {
    throw new KeySourceError(
      `${matches.length} tokens are labelled "${token.label}"; select one by slot id instead`,
    );
  }
  return matches[0]!;
}
