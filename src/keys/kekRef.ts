/**
 * KEK references `<scheme>:<id>` (docs/FORMAT.md §2) as providers build and take them apart. The syntax
 * check is the format module's, so a provider never writes a reference readers would reject.
 */
import { isValidKekRef, KeyError } from "../crypto/index.ts";

export interface ParsedKekRef {
  scheme: string;
  id: string;
}

export function formatKekRef(scheme: string, id: string): string {
  const ref = `${scheme}:${id}`;
  if (!isValidKekRef(ref)) throw new KeyError("KeyInvalid", `not a valid KEK reference: ${ref}`);
  return ref;
}

/** Scheme and id, or undefined when `kekRef` is not a valid reference. */
export function parseKekRef(kekRef: string): ParsedKekRef | undefined {
  if (!isValidKekRef(kekRef)) return undefined;
  const colon = kekRef.indexOf(":");
  return { scheme: kekRef.slice(0, colon), id: kekRef.slice(colon + 1) };
}
