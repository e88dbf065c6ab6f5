/**
 * Throwaway PKI for tests: a CA in a temp dir (created through the product's own CA store) and server
 * certificates for test origins signed by it. Test origins use a CA separate from the proxy's, so a test can
 * tell which one a client actually saw.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateCa, type LoadedCa } from "../../src/tls/caStore.ts";
import { buildLeafCertificate, leafValidity } from "../../src/tls/x509.ts";

export interface TestPki {
  dir: string;
  ca: LoadedCa;
  /** A key and certificate for `host` (DNS name or IP), signed by this PKI's CA. */
  serverCert(host: string): { key: string; cert: string; fingerprint256: string };
  cleanup(): Promise<void>;
}

export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), "s3proxy-pki-"));
  const ca = await loadOrCreateCa(join(dir, "ca"));
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    dir,
    ca,
    serverCert(host) {
      const cert = buildLeafCertificate(
        host,
        { publicKey: privateKey, serial: randomBytes(16), ...leafValidity(new Date()) },
        ca,
      );
      return {
        key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        cert,
        fingerprint256: new X509Certificate(cert).fingerprint256,
      };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
