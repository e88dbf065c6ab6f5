/**
 * A validated set of local KEKs: ids, 256-bit AES keys, exactly one active. Every source (key file,
 * environment variable, Secret directory) and every change (rotation) goes through validateKeySet, so the
 * rules live in one place: ids usable as file names and in `aeskw:<id>`, keys exactly 32 bytes, no duplicate
 * ids, no key material under two ids, and never an all-zero key (the system we replace wrapped every DEK with
 * one, which is encryption in name only).
 *
 * Keys are held as node:crypto KeyObjects, not Buffers: a KeySet that ends up in a log line or JSON.stringify
 * shows `{}` / `SecretKeyObject { … }`, never the bytes.
 */
import { createSecretKey, type KeyObject } from "node:crypto";
import { KeySourceError } from "./errors.ts";

export interface Kek {
  readonly id: string;
  readonly key: KeyObject;
}

export interface KeySet {
  /** Id of the KEK that wraps new DEKs; one of `keys`. */
  readonly active: string;
  /** In the order of the source (a key file keeps rotation order). */
  readonly keys: readonly Kek[];
}

/** AES-256: the only KEK size we create or accept. */
export const KEK_LENGTH = 32;

/**
 * A letter or digit, then letters, digits, `.`, `_`, `-`; at most 64. The first character rules out `.`/`..`
 * and hidden files (ids are file names in a Secret directory) and ids that look like CLI flags.
 */
export const KEK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The file naming the active key in a Secret directory, so no key can be called that anywhere. */
export const ACTIVE_FILE = "active";

export function isValidKekId(id: string): boolean {
  return KEK_ID_PATTERN.test(id) && id !== ACTIVE_FILE;
}

export const KEK_ID_RULE = `1-64 characters [A-Za-z0-9._-], starting with a letter or digit, not "${ACTIVE_FILE}"`;

function isAllZero(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

/** Why these key bytes are refused, or undefined. Says only length and class, never the bytes. */
export function kekBytesProblem(bytes: Buffer): string | undefined {
  if (bytes.byteLength !== KEK_LENGTH) return `is ${bytes.byteLength} bytes, not ${KEK_LENGTH} (AES-256)`;
  if (isAllZero(bytes)) {
    return "is all zeros: refused, because a known key encrypts nothing (the system s3proxy replaces used one)";
  }
  return undefined;
}

/** A KeyObject for 32 key bytes, after the same checks every source applies. */
export function kekFromBytes(id: string, bytes: Buffer, source: string): Kek {
  const problem = kekBytesProblem(bytes);
  if (problem !== undefined) throw new KeySourceError(`${source}: key "${id}" ${problem}`);
  return { id, key: createSecretKey(bytes) };
}

/** Checks every rule and returns the set; `source` (e.g. `key file /etc/s3proxy/keys.json`) prefixes messages. */
export function validateKeySet(set: KeySet, source: string): KeySet {
  if (set.keys.length === 0) throw new KeySourceError(`${source}: holds no keys`);
  const seen = new Map<string, Buffer>();
  for (const { id, key } of set.keys) {
    if (!isValidKekId(id)) {
      // The value is not echoed: a key pasted into the id field must not end up in a log.
      throw new KeySourceError(
        `${source}: a key id is invalid (${id.length} characters); ids are ${KEK_ID_RULE}`,
      );
    }
    if (seen.has(id)) throw new KeySourceError(`${source}: key id "${id}" appears more than once`);
    if (key.type !== "secret") throw new KeySourceError(`${source}: key "${id}" is not a secret key`);
    const bytes = key.export();
    const problem = kekBytesProblem(bytes);
    if (problem !== undefined) throw new KeySourceError(`${source}: key "${id}" ${problem}`);
    for (const [otherId, other] of seen) {
      if (other.equals(bytes)) {
        throw new KeySourceError(`${source}: keys "${otherId}" and "${id}" are the same key`);
      }
    }
    seen.set(id, bytes);
  }
  if (!isValidKekId(set.active) || !seen.has(set.active)) {
    const shown = isValidKekId(set.active) ? `"${set.active}"` : "(an invalid id)";
    throw new KeySourceError(`${source}: the active key ${shown} is not one of its keys`);
  }
  return { active: set.active, keys: set.keys.map(({ id, key }) => ({ id, key })) };
}
