/**
 * The text of a `--legacy-kek-file`: the Go proxy's 32-byte KEK as 64 hex digits or canonical base64 (what
 * `xxd -p -c 32` or `base64` print for the keyservice's key), surrounding whitespace ignored. The all-zero key
 * is refused here: opening objects with it is what `--legacy-allow-zero-kek` is for, with its warnings.
 */
import { decodeKekBase64 } from "../keys/index.ts";
import { CONSTELLATION_KEK_LENGTH } from "./constellationFormat.ts";

const HEX_KEK = new RegExp(`^[0-9a-fA-F]{${2 * CONSTELLATION_KEK_LENGTH}}$`);

/** The KEK bytes, or a reason (naming no key bytes) why `text` is not one. */
export function parseLegacyKek(text: string): { kek: Buffer } | { problem: string } {
  const value = text.trim();
  const kek = HEX_KEK.test(value) ? Buffer.from(value, "hex") : decodeKekBase64(value);
  if (kek === undefined) {
    return {
      problem: `must hold a ${CONSTELLATION_KEK_LENGTH}-byte key as 64 hex digits or canonical base64`,
    };
  }
  if (kek.every((b) => b === 0)) {
    kek.fill(0);
    return { problem: "holds the all-zero key: use --legacy-allow-zero-kek instead (it warns per object)" };
  }
  return { kek };
}
