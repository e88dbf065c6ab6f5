/**
 * The key file (docs/KEYS.md "Key file"), also accepted whole in an environment variable:
 *
 *   { "version": 1, "active": "prod-2025-06",
 *     "keys": [ { "id": "prod-2025-01", "key": "<base64 of 32 bytes>" },
 *               { "id": "prod-2025-06", "key": "<base64 of 32 bytes>" } ] }
 *
 * `keys` is an array, not an object keyed by id: JSON.parse silently keeps the last of two equal member names,
 * so an object could not refuse a duplicated id, and an array keeps rotation order. Parsing is strict (unknown
 * fields, wrong types and non-canonical base64 are errors) and messages name the source and the place,
 * never key bytes: JSON.parse's own message quotes the input, so only its position is reported.
 */
import { KeySourceError } from "./errors.ts";
import { decodeKekBase64, encodeKekBase64 } from "./kekEncoding.ts";
import { isValidKekId, kekFromBytes, type Kek, type KeySet, validateKeySet } from "./keySet.ts";

export const KEY_FILE_VERSION = 1;

/** Field names that are safe to repeat in a message (a misplaced base64 key is not one of them). */
const SHOWABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

function describeName(name: string): string {
  return SHOWABLE_NAME.test(name) ? `"${name}"` : "(a field name that is not shown)";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function onlyFields(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const name of Object.keys(obj)) {
    if (!allowed.includes(name))
      throw new KeySourceError(`${where} has an unknown field ${describeName(name)}`);
  }
}

/** JSON.parse, with an error that keeps V8's reason and position but none of the quoted input. */
function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : "";
    const at = /^([A-Za-z ',{}[\]:-]+) in JSON at position (\d+)$/.exec(message);
    let detail = "";
    if (at?.[1] !== undefined && at[2] !== undefined) {
      const position = Number(at[2]);
      const before = text.slice(0, position).split("\n");
      detail = `: ${at[1]} at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
    } else if (message === "Unexpected end of JSON input") {
      detail = ": it ends early";
    }
    throw new KeySourceError(`${source}: not valid JSON${detail}`);
  }
}

function parseEntry(entry: unknown, index: number, source: string): Kek {
  const where = `${source}: keys[${index}]`;
  if (!isRecord(entry)) throw new KeySourceError(`${where} is not an object {"id": …, "key": …}`);
  onlyFields(entry, ["id", "key"], where);
  const { id, key } = entry;
  if (typeof id !== "string") throw new KeySourceError(`${where} has no string "id"`);
  const named = isValidKekId(id) ? `${where} (id "${id}")` : where;
  if (typeof key !== "string") throw new KeySourceError(`${named} has no string "key"`);
  const bytes = decodeKekBase64(key);
  if (bytes === undefined) {
    throw new KeySourceError(
      `${named}: "key" is not the base64 of 32 bytes (${key.length} characters; expected 44, as printed by ` +
        "`openssl rand -base64 32`)",
    );
  }
  return kekFromBytes(id, bytes, source);
}

/** A validated KeySet from key-file JSON; `source` (e.g. `key file /etc/s3proxy/keys.json`) prefixes errors. */
export function parseKeyFile(text: string, source: string): KeySet {
  const doc = parseJson(text, source);
  if (!isRecord(doc)) throw new KeySourceError(`${source}: is not a JSON object`);
  onlyFields(doc, ["version", "active", "keys"], source);
  if (doc.version !== KEY_FILE_VERSION) {
    const shown = typeof doc.version === "number" ? String(doc.version) : "missing or not a number";
    throw new KeySourceError(
      `${source}: "version" is ${shown}; this build reads key file version ${KEY_FILE_VERSION}`,
    );
  }
  if (typeof doc.active !== "string") throw new KeySourceError(`${source}: has no string "active"`);
  if (!Array.isArray(doc.keys)) {
    throw new KeySourceError(`${source}: "keys" must be an array of {"id": …, "key": …} objects`);
  }
  const keys = doc.keys.map((entry: unknown, index) => parseEntry(entry, index, source));
  return validateKeySet({ active: doc.active, keys }, source);
}

/** The key file text for a KeySet (validated first), two-space indented with a final newline. */
export function serializeKeyFile(set: KeySet, source = "key set"): string {
  const valid = validateKeySet(set, source);
  const doc = {
    version: KEY_FILE_VERSION,
    active: valid.active,
    keys: valid.keys.map(({ id, key }) => ({ id, key: encodeKekBase64(key) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
