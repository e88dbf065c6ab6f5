/**
 * The token's user PIN, from an environment variable or a file, never from a command-line flag (other users see
 * flags in `ps`). A file is checked like key material (readKeySourceFile.ts: regular, small, no access for
 * others; group read is allowed for a Kubernetes Secret mounted with an fsGroup). One trailing newline is
 * dropped, so `echo 1234 > pin` works. The PIN never appears in an error.
 */
import { KeySourceError } from "../errors.ts";
import { readKeySourceFile } from "../readKeySourceFile.ts";

export type Pkcs11PinSource =
  | {
      readonly kind: "env";
      readonly name: string;
      readonly env: Readonly<Record<string, string | undefined>>;
    }
  | { readonly kind: "file"; readonly path: string };

/** Suggested variable name for the PIN. */
export const DEFAULT_PKCS11_PIN_ENV = "S3PROXY_PKCS11_PIN";

export function describePinSource(source: Pkcs11PinSource): string {
  return source.kind === "env" ? `environment variable ${source.name}` : `PIN file ${source.path}`;
}

export async function readPkcs11Pin(source: Pkcs11PinSource): Promise<string> {
  const raw =
    source.kind === "env"
      ? source.env[source.name]
      : (await readKeySourceFile(source.path, "owner-or-group-read")).toString("utf8");
  const pin = raw?.replace(/\r?\n$/, "");
  if (pin === undefined || pin === "") {
    throw new KeySourceError(`${describePinSource(source)} is ${raw === undefined ? "not set" : "empty"}`);
  }
  if (/[\r\n]/.test(pin)) {
    throw new KeySourceError(
      `${describePinSource(source)} holds more than one line (the value is not shown)`,
    );
  }
  return pin;
}
