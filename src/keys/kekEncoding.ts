/**
 * The text form of a KEK in key files, environment variables and Secret directories: canonical standard
 * base64 (RFC 4648 §4, with padding), i.e. exactly what `openssl rand -base64 32` prints. Node's decoder skips
 * invalid characters and accepts non-canonical trailing bits, so a typo could silently yield another key;
 * here a value is accepted only if it is the exact encoding of 32 bytes.
 */
import type { KeyObject } from "node:crypto";
import { KEK_LENGTH } from "./keySet.ts";

const BASE64_KEK = /^[A-Za-z0-9+/]{43}=$/;

/** The 32 key bytes, or undefined if `text` is not the canonical base64 of 32 bytes. */
export function decodeKekBase64(text: string): Buffer | undefined {
  if (!BASE64_KEK.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64");
  return bytes.byteLength === KEK_LENGTH && bytes.toString("base64") === text ? bytes : undefined;
}

export function encodeKekBase64(key: KeyObject): string {
  return key.export().toString("base64");
}
