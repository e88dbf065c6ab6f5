/**
 * Keys from an environment variable (e.g. S3PROXY_KEYS filled from a Kubernetes secretKeyRef or a CI secret):
 * either a whole key file document (JSON, starts with `{`) or a single key as `<id>:<base64 of 32 bytes>`,
 * which is then the active one. Ids cannot contain `:` and base64 cannot start with `{`, so the two forms are
 * unambiguous. The value is never echoed in an error.
 */
import { KeySourceError } from "./errors.ts";
import { decodeKekBase64 } from "./kekEncoding.ts";
import { parseKeyFile } from "./keyFileFormat.ts";
import { isValidKekId, KEK_ID_RULE, kekFromBytes, type KeySet, validateKeySet } from "./keySet.ts";

/** A validated KeySet from the value of the environment variable `name`. */
export function parseKeyEnv(value: string, name: string): KeySet {
  const source = `environment variable ${name}`;
  const text = value.trim();
  if (text.startsWith("{")) return parseKeyFile(text, source);
  const colon = text.indexOf(":");
  if (colon < 0) {
    throw new KeySourceError(
      `${source}: expected a key file JSON document or "<id>:<base64 of 32 bytes>" (the value is not shown)`,
    );
  }
  const id = text.slice(0, colon);
  if (!isValidKekId(id)) {
    throw new KeySourceError(`${source}: the id before ":" is invalid; ids are ${KEK_ID_RULE}`);
  }
  const bytes = decodeKekBase64(text.slice(colon + 1));
  if (bytes === undefined) {
    throw new KeySourceError(
      `${source}: the key after "${id}:" is not the base64 of 32 bytes (as printed by \`openssl rand -base64 32\`)`,
    );
  }
  return validateKeySet({ active: id, keys: [kekFromBytes(id, bytes, source)] }, source);
}
