/**
 * Builds X.509 certificates (RFC 5280): node-forge assembles the TBSCertificate, node:crypto signs it natively
 * (a forge-only signature costs 25-45 ms; this costs well under 1 ms), so issuing a leaf for a new host never
 * stalls the event loop. Clock, serial randomness and keys are injected: this module performs no I/O.
 */
import { createPublicKey, sign, type KeyObject } from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";

// Present in node-forge (pki.getTBSCertificate) but missing from @types/node-forge.
const { getTBSCertificate } = forge.pki as unknown as {
  getTBSCertificate: (this: void, cert: forge.pki.Certificate) => forge.asn1.Asn1;
};

const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssuerKeys {
  certificate: forge.pki.Certificate;
  privateKey: KeyObject;
}

export interface CertificateParams {
  subjectCommonName: string;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** 16 random bytes; the top bit is cleared so the DER INTEGER is positive (RFC 5280 §4.1.2.2). */
  serial: Buffer;
}

function forgePublicKey(key: KeyObject): forge.pki.PublicKey {
  const pub = key.type === "public" ? key : createPublicKey(key);
  return forge.pki.publicKeyFromPem(pub.export({ type: "spki", format: "pem" }).toString());
}

function serialHex(serial: Buffer): string {
  const bytes = Buffer.from(serial);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  if (bytes[0] === 0) bytes[0] = 1; // keep a minimal, non-zero leading byte
  return bytes.toString("hex");
}

function signWith(cert: forge.pki.Certificate, privateKey: KeyObject): string {
  cert.siginfo.algorithmOid = SHA256_WITH_RSA;
  cert.signatureOid = SHA256_WITH_RSA;
  const tbs = forge.asn1.toDer(getTBSCertificate(cert)).getBytes();
  const signature = sign("sha256", Buffer.from(tbs, "binary"), privateKey);
  cert.signature = signature.toString("binary");
  return forge.pki.certificateToPem(cert);
}

function baseCertificate(p: CertificateParams): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forgePublicKey(p.publicKey);
  cert.serialNumber = serialHex(p.serial);
  cert.validity.notBefore = p.notBefore;
  cert.validity.notAfter = p.notAfter;
  cert.setSubject([{ name: "commonName", value: p.subjectCommonName }]);
  return cert;
}

/** A self-signed CA for issuing interception leaves: pathLen 0, so it can sign leaves but no further CAs. */
export function buildCaCertificate(p: CertificateParams & { privateKey: KeyObject }): string {
  const cert = baseCertificate(p);
  cert.setSubject([
    { name: "commonName", value: p.subjectCommonName },
    { name: "organizationName", value: "s3proxy" },
  ]);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  return signWith(cert, p.privateKey);
}

/**
 * Subject alternative names for an intercepted host: the exact name, plus `*.<parent>` when the parent has at
 * least three labels (so `b.s3.us-east-1.amazonaws.com` also covers sibling buckets; RFC 6125 §6.4.3 wildcards
 * match one label only, so dotted bucket names rely on the exact entry). IP literals get an iPAddress SAN.
 */
export function subjectAltNames(host: string): { type: number; value?: string; ip?: string }[] {
  if (isIP(host)) return [{ type: 7, ip: host }];
  const names = [{ type: 2, value: host }];
  const parent = host.split(".").slice(1);
  if (parent.length >= 3) names.push({ type: 2, value: `*.${parent.join(".")}` });
  return names;
}

/** A TLS server leaf for `host`, signed by `issuer`, valid no longer than the issuer. */
export function buildLeafCertificate(
  host: string,
  p: Omit<CertificateParams, "subjectCommonName">,
  issuer: IssuerKeys,
): string {
  const notAfter = new Date(Math.min(p.notAfter.getTime(), issuer.certificate.validity.notAfter.getTime()));
  // RFC 5280 §4.1.2.6: CN is legacy but some clients still log it; 64 chars is its upper bound.
  const cert = baseCertificate({ ...p, notAfter, subjectCommonName: host.slice(0, 64) });
  cert.setIssuer(issuer.certificate.subject.attributes);
  const issuerKeyId = issuer.certificate.generateSubjectKeyIdentifier().getBytes();
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: subjectAltNames(host) },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: issuerKeyId },
  ]);
  return signWith(cert, issuer.privateKey);
}

/** Leaf validity: back-dated two days against client clock skew, at most 397 days (CA/B Forum limit). */
export function leafValidity(now: Date): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: new Date(now.getTime() - 2 * DAY_MS),
    notAfter: new Date(now.getTime() + 397 * DAY_MS),
  };
}
