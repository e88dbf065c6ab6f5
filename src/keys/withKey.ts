/**
 * Key rotation as pure functions on a KeySet; addKey.ts applies them to a key file. Rotation across several
 * proxies is two steps (docs/KEYS.md "Rotation"): add the new key inactive everywhere, then make it active,
 * so no proxy ever meets a DEK wrapped under a key it does not hold yet.
 */
import { KeySourceError } from "./errors.ts";
import { type Kek, type KeySet, validateKeySet } from "./keySet.ts";

/** `set` plus `kek` (appended, so file order is rotation order), active if `makeActive`. */
export function withKey(set: KeySet, kek: Kek, makeActive: boolean, source = "key set"): KeySet {
  if (set.keys.some(({ id }) => id === kek.id)) {
    throw new KeySourceError(`${source}: already has a key "${kek.id}"`);
  }
  return validateKeySet({ active: makeActive ? kek.id : set.active, keys: [...set.keys, kek] }, source);
}

/** `set` with `id` (one of its keys) as the active key. */
export function withActiveKey(set: KeySet, id: string, source = "key set"): KeySet {
  if (!set.keys.some((k) => k.id === id)) throw new KeySourceError(`${source}: has no key "${id}"`);
  return validateKeySet({ active: id, keys: set.keys }, source);
}
