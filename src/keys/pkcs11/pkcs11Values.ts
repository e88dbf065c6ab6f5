/**
 * Decoding the raw bytes pkcs11js returns for attribute values and handles. CK_BBOOL is one byte (v2.40 §3
 * "General data types"); CK_ULONG and the handle types are C `unsigned long`s in the host's byte order: 8 bytes
 * on 64-bit Linux and macOS, 4 on Windows.
 */
import { endianness } from "node:os";

const bigEndian = endianness() === "BE";

export function ckBool(value: Buffer | undefined): boolean {
  return value !== undefined && value.length > 0 && value.some((b) => b !== 0);
}

/** A CK_ULONG or handle as a bigint (slot ids can exceed 2^31). */
export function ckUlong(value: Buffer | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  if (value.length === 8) return bigEndian ? value.readBigUInt64BE() : value.readBigUInt64LE();
  if (value.length === 4) return BigInt(bigEndian ? value.readUInt32BE() : value.readUInt32LE());
  return undefined;
}
