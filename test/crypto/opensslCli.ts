/**
 * The OpenSSL command-line tool as an independent implementation for cross-checks (AES key wrap, HKDF,
 * AES-ECB/CTR for an independent GCM). Tests skip its checks when /usr/bin/openssl is absent.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const OPENSSL = "/usr/bin/openssl";
export const haveOpenssl = existsSync(OPENSSL);

export function openssl(args: readonly string[], input: Uint8Array = new Uint8Array(0)): Buffer {
  return execFileSync(OPENSSL, args, { input, stdio: ["pipe", "pipe", "pipe"] });
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

export function opensslKeyWrap(kek: Uint8Array, keyData: Uint8Array): Buffer {
  return openssl(
    ["enc", `-id-aes${kek.length * 8}-wrap`, "-K", hex(kek), "-iv", "A6A6A6A6A6A6A6A6"],
    keyData,
  );
}

export function opensslKeyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer {
  return openssl(
    ["enc", "-d", `-id-aes${kek.length * 8}-wrap`, "-K", hex(kek), "-iv", "A6A6A6A6A6A6A6A6"],
    wrapped,
  );
}

/** RFC 5869 HKDF-SHA256 through `openssl kdf` (extract and expand). */
export function opensslHkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Buffer {
  const out = openssl([
    "kdf",
    "-keylen",
    String(length),
    "-kdfopt",
    "digest:SHA256",
    "-kdfopt",
    `hexkey:${hex(ikm)}`,
    "-kdfopt",
    `hexsalt:${hex(salt)}`,
    "-kdfopt",
    `hexinfo:${hex(info)}`,
    "HKDF",
  ]);
  return Buffer.from(out.toString("ascii").trim().replaceAll(":", ""), "hex");
}

export function opensslAesEcb(key: Uint8Array, block: Uint8Array): Buffer {
  return openssl(["enc", `-aes-${key.length * 8}-ecb`, "-nopad", "-K", hex(key)], block);
}

export function opensslAesCtr(key: Uint8Array, counterBlock: Uint8Array, data: Uint8Array): Buffer {
  return openssl(["enc", `-aes-${key.length * 8}-ctr`, "-K", hex(key), "-iv", hex(counterBlock)], data);
}
