/**
 * Hands out a TLS server context for each intercepted hostname. One leaf key pair is generated per process
 * and reused for every leaf (as mitmproxy does), so a new host costs one native signature plus one
 * `createSecureContext` (~1 ms); finished contexts, not just certificates, are kept in a bounded LRU.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { createSecureContext, type SecureContext } from "node:tls";
import { LRUCache } from "lru-cache";
import { buildLeafCertificate, leafValidity, type IssuerKeys } from "./x509.ts";

export interface LeafContextOptions {
  issuer: IssuerKeys;
  /** Maximum number of cached contexts. */
  max?: number;
  now?: () => Date;
  random?: (n: number) => Buffer;
}

export class LeafContexts {
  private readonly cache: LRUCache<string, SecureContext>;
  private readonly leafKey: KeyObject;
  private readonly leafKeyPem: string;
  private readonly now: () => Date;
  private readonly random: (n: number) => Buffer;
  private readonly issuer: IssuerKeys;
  issued = 0;

  constructor(options: LeafContextOptions) {
    this.issuer = options.issuer;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? randomBytes;
    // Leaves are valid for 397 days; refresh cached ones daily so a long-running proxy never serves a stale leaf.
    this.cache = new LRUCache({ max: options.max ?? 1000, ttl: 24 * 3600 * 1000 });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.leafKey = privateKey;
    this.leafKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  }

  /** The PEM certificate for `host` (uncached; used by tests and diagnostics). */
  issueCertificate(host: string): string {
    this.issued += 1;
    return buildLeafCertificate(
      host,
      { publicKey: this.leafKey, serial: this.random(16), ...leafValidity(this.now()) },
      this.issuer,
    );
  }

  /** A cached secure context presenting a leaf for `host` (already validated by hostAuthority). */
  contextFor(host: string): SecureContext {
    let ctx = this.cache.get(host);
    if (!ctx) {
      ctx = createSecureContext({ key: this.leafKeyPem, cert: this.issueCertificate(host) });
      this.cache.set(host, ctx);
    }
    return ctx;
  }
}
