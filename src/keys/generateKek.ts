/**
 * New KEKs for `keys rotate` and the development key file: 32 bytes from the (injected) CSPRNG, and ids of the
 * form `<prefix>-<yyyymmdd>-<8 hex>` that sort by creation date and stay unique without coordination.
 */
import { defaultRandomBytes, type RandomBytes } from "../crypto/index.ts";
import { isValidKekId, KEK_ID_RULE, KEK_LENGTH, kekFromBytes, type Kek } from "./keySet.ts";

function take(randomBytes: RandomBytes, size: number): Buffer {
  const bytes = Buffer.from(randomBytes(size));
  if (bytes.byteLength !== size)
    throw new RangeError(`randomBytes(${size}) returned ${bytes.byteLength} bytes`);
  return bytes;
}

/** A random 256-bit KEK; a source that returns all zeros is refused like any all-zero key. */
export function generateKek(id: string, randomBytes: RandomBytes = defaultRandomBytes): Kek {
  if (!isValidKekId(id)) throw new RangeError(`invalid key id "${id}": ids are ${KEK_ID_RULE}`);
  return kekFromBytes(id, take(randomBytes, KEK_LENGTH), "generated key");
}

/** `<prefix>-<yyyymmdd (UTC)>-<8 hex>`, e.g. `dev-20250614-3fa94c0e`. */
export function newKekId(prefix: string, now: Date, randomBytes: RandomBytes = defaultRandomBytes): string {
  const date = now.toISOString().slice(0, 10).replaceAll("-", "");
  const id = `${prefix}-${date}-${take(randomBytes, 4).toString("hex")}`;
  if (!isValidKekId(id)) throw new RangeError(`invalid key id prefix "${prefix}": ids are ${KEK_ID_RULE}`);
  return id;
}
