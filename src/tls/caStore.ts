/**
 * Loads the interception CA from `--ca-dir`, or creates it on first run. The private key is written with mode
 * 0600 through an exclusive create (O_EXCL), so it is never world-readable, not even for an instant, and two
 * processes starting together cannot overwrite each other's CA: the loser loads the winner's.
 */
import {
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from "node:crypto";
import { constants, promises as fs } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import forge from "node-forge";
import { buildCaCertificate, type IssuerKeys } from "./x509.ts";

export const CA_CERT_FILE = "ca.pem";
export const CA_KEY_FILE = "ca-key.pem";
const CA_YEARS = 10;

export interface LoadedCa extends IssuerKeys {
  certPem: string;
  certPath: string;
  keyPath: string;
  /** SHA-256 fingerprint, colon-separated hex, as browsers and openssl print it. */
  fingerprint: string;
  created: boolean;
  /** Set when the key file is readable by group/others (e.g. a Secret mounted 0644). */
  keyModeWarning: string | undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

async function writeExclusive(path: string, data: string, mode: number): Promise<void> {
  const handle = await fs.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode); // the umask may have narrowed or (for 0644) widened nothing; make it exact
  } finally {
    await handle.close();
  }
}

/** Generates a new CA key pair and self-signed certificate and writes both; fails if either file exists. */
export async function createCa(dir: string, now: Date = new Date()): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const notBefore = new Date(now.getTime() - 2 * 24 * 3600 * 1000);
  const notAfter = new Date(now.getTime() + CA_YEARS * 365 * 24 * 3600 * 1000);
  const certPem = buildCaCertificate({
    subjectCommonName: `s3proxy CA (${hostname()}) ${now.toISOString().slice(0, 10)}`,
    publicKey,
    privateKey,
    notBefore,
    notAfter,
    serial: randomBytes(16),
  });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  // The O_EXCL key create is the lock between concurrent creators. The certificate appears atomically (rename),
  // so a process waiting for it never reads half a file; a crash in between leaves a key without a
  // certificate, which load() reports.
  await writeExclusive(join(dir, CA_KEY_FILE), keyPem, 0o600);
  const tmp = join(dir, `.${CA_CERT_FILE}.${process.pid}.tmp`);
  await fs.writeFile(tmp, certPem, { mode: 0o644 });
  await fs.rename(tmp, join(dir, CA_CERT_FILE));
}

async function load(dir: string, created: boolean): Promise<LoadedCa> {
  const certPath = join(dir, CA_CERT_FILE);
  const keyPath = join(dir, CA_KEY_FILE);
  const [certPem, keyPem, keyStat] = await Promise.all([
    fs.readFile(certPath, "utf8"),
    fs.readFile(keyPath, "utf8"),
    fs.stat(keyPath),
  ]);
  const privateKey: KeyObject = createPrivateKey(keyPem);
  const x509 = new X509Certificate(certPem);
  if (!x509.checkPrivateKey(privateKey)) {
    throw new Error(`${keyPath} does not belong to the certificate in ${certPath}`);
  }
  if (!x509.ca) throw new Error(`${certPath} is not a CA certificate (basicConstraints CA:FALSE)`);
  const mode = keyStat.mode & 0o777;
  return {
    certificate: forge.pki.certificateFromPem(certPem),
    privateKey,
    certPem,
    certPath,
    keyPath,
    fingerprint: x509.fingerprint256,
    created,
    keyModeWarning:
      (mode & 0o077) !== 0
        ? `${keyPath} has mode ${mode.toString(8)}: it should be 600 (chmod 600)`
        : undefined,
  };
}

/** The CA in `dir`, created on first use. A half-present CA (only one of the two files) is an error. */
export async function loadOrCreateCa(dir: string): Promise<LoadedCa> {
  const [hasCert, hasKey] = await Promise.all([
    exists(join(dir, CA_CERT_FILE)),
    exists(join(dir, CA_KEY_FILE)),
  ]);
  if (hasCert && hasKey) return load(dir, false);
  if (hasCert !== hasKey) {
    throw new Error(
      `${dir} holds only ${hasCert ? CA_CERT_FILE : CA_KEY_FILE}: restore the missing file or remove both to create a new CA`,
    );
  }
  try {
    await createCa(dir);
  } catch (err) {
    // Another process is creating it (our O_EXCL create lost): use theirs once its certificate is written.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return loadOnceComplete(dir);
  }
  return load(dir, true);
}

async function loadOnceComplete(dir: string, attempts = 50, delayMs = 100): Promise<LoadedCa> {
  for (let i = 1; ; i += 1) {
    if (await exists(join(dir, CA_CERT_FILE))) return load(dir, false);
    if (i >= attempts)
      throw new Error(`${dir}: another process created ${CA_KEY_FILE} but never wrote ${CA_CERT_FILE}`);
    await new Promise((r) => setTimeout(r, delayMs));
  }
}
