import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadOrCreateCa, type LoadedCa } from "../../src/tls/caStore.ts";
import { LeafContexts } from "../../src/tls/leafContexts.ts";
import { subjectAltNames } from "../../src/tls/x509.ts";

let dir: string;
let ca: LoadedCa;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "s3proxy-leaf-"));
  ca = await loadOrCreateCa(join(dir, "ca"));
});
after(() => rm(dir, { recursive: true, force: true }));

describe("LeafContexts", () => {
  it("issues leaves that chain to the CA, with SAN, back-dated and bounded validity", () => {
    const now = new Date("2026-11-26T12:00:00Z");
    const leaves = new LeafContexts({ issuer: ca, now: () => now, random: () => Buffer.alloc(16, 0xff) });
    const cert = new X509Certificate(leaves.issueCertificate("bucket.s3.us-east-1.amazonaws.com"));
    assert.equal(cert.verify(new X509Certificate(ca.certPem).publicKey), true);
    assert.equal(cert.checkIssued(new X509Certificate(ca.certPem)), true);
    assert.equal(cert.ca, false);
    assert.equal(
      cert.subjectAltName,
      "DNS:bucket.s3.us-east-1.amazonaws.com, DNS:*.s3.us-east-1.amazonaws.com",
    );
    assert.equal(cert.checkHost("bucket.s3.us-east-1.amazonaws.com"), "bucket.s3.us-east-1.amazonaws.com");
    assert.equal(new Date(cert.validFrom).toISOString(), "2026-11-24T12:00:00.000Z");
    assert.equal(new Date(cert.validTo).toISOString(), "2027-12-28T12:00:00.000Z");
    assert.equal(cert.serialNumber, "7F".padEnd(32, "F"), "top bit cleared: a positive serial");
    assert.deepEqual(cert.keyUsage, ["1.3.6.1.5.5.7.3.1"]);
  });

  it("caches contexts per host and issues once", () => {
    const leaves = new LeafContexts({ issuer: ca });
    const a = leaves.contextFor("b.s3.amazonaws.com");
    assert.equal(leaves.contextFor("b.s3.amazonaws.com"), a);
    leaves.contextFor("c.s3.amazonaws.com");
    assert.equal(leaves.issued, 2);
  });

  it("never outlives the CA", () => {
    const farFuture = new Date(new X509Certificate(ca.certPem).validTo);
    const leaves = new LeafContexts({ issuer: ca, now: () => farFuture });
    const cert = new X509Certificate(leaves.issueCertificate("x.s3.amazonaws.com"));
    assert.equal(new Date(cert.validTo).getTime(), farFuture.getTime());
  });
});

describe("subjectAltNames", () => {
  it("adds a sibling wildcard only under a 3+ label parent, IP SAN for literals", () => {
    assert.deepEqual(subjectAltNames("s3.amazonaws.com"), [{ type: 2, value: "s3.amazonaws.com" }]);
    assert.deepEqual(subjectAltNames("b.s3.amazonaws.com"), [
      { type: 2, value: "b.s3.amazonaws.com" },
      { type: 2, value: "*.s3.amazonaws.com" },
    ]);
    assert.deepEqual(subjectAltNames("127.0.0.1"), [{ type: 7, ip: "127.0.0.1" }]);
  });
});
