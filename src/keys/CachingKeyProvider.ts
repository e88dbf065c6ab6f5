/**
 * A KeyProvider decorator that remembers unwrapped DEKs for a short time (DekCache) and coalesces concurrent
 * unwraps of the same wrapped DEK into one call of the provider it wraps: a burst of GETs of one hot object costs
 * one KMS Decrypt, not one each (KMS request quotas are shared by the whole account and Region:
 * https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html).
 *
 * The cache key is a SHA-256 over the KEK reference, the wrapped DEK and the DekContext, everything the provider
 * sees, so a hit returns exactly what the provider returned for the same inputs: a wrapped DEK with another
 * context (the KMS EncryptionContext) or under another reference never hits. Failures are not cached; a failed
 * call fails every caller that joined it. Wrapping is passed through: new DEKs are never cached.
 *
 * Consequence, intended: while a DEK is cached, its object stays readable even if the provider is down or the
 * KEK was disabled in the meantime, for at most the cache TTL (docs/KEYS.md "DEK cache").
 */
import { createHash } from "node:crypto";
import type { DekCache } from "./DekCache.ts";
import type { DekContext } from "./dekContext.ts";
import type { GeneratedDataKey, KeyProvider, WrappedDek } from "./KeyProvider.ts";

interface InFlight {
  readonly dek: Promise<Buffer>;
  /** Callers waiting for `dek`; the last one to take its copy zeroes the shared buffer. */
  waiters: number;
}

export class CachingKeyProvider implements KeyProvider {
  readonly scheme: string;
  readonly generateDataKey?: (context: DekContext) => Promise<GeneratedDataKey>;
  readonly #inner: KeyProvider;
  readonly #cache: DekCache;
  readonly #inFlight = new Map<string, InFlight>();

  constructor(inner: KeyProvider, cache: DekCache) {
    this.#inner = inner;
    this.#cache = cache;
    this.scheme = inner.scheme;
    if (inner.generateDataKey !== undefined) {
      this.generateDataKey = (context) => inner.generateDataKey!(context);
    }
  }

  activeKekId(): string {
    return this.#inner.activeKekId();
  }

  listKekIds(): readonly string[] {
    return this.#inner.listKekIds();
  }

  wrapDek(dek: Buffer, context: DekContext): Promise<WrappedDek> {
    return this.#inner.wrapDek(dek, context);
  }

  async unwrapDek(kekRef: string, wrappedDek: Buffer, context: DekContext): Promise<Buffer> {
    const key = cacheKey(kekRef, wrappedDek, context);
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit;
    let call = this.#inFlight.get(key);
    if (call === undefined) {
      call = { dek: this.#unwrapAndStore(key, kekRef, Buffer.from(wrappedDek), context), waiters: 0 };
      this.#inFlight.set(key, call);
    }
    call.waiters++;
    let dek: Buffer | undefined;
    try {
      dek = await call.dek;
      return Buffer.from(dek);
    } finally {
      if (--call.waiters === 0) dek?.fill(0);
    }
  }

  async #unwrapAndStore(
    key: string,
    kekRef: string,
    wrappedDek: Buffer,
    context: DekContext,
  ): Promise<Buffer> {
    try {
      // Called a tick later, so the call is registered in #inFlight before anything can settle it.
      const dek = await Promise.resolve().then(() => this.#inner.unwrapDek(kekRef, wrappedDek, context));
      const stored = Buffer.alloc(dek.length); // the cache's own copy, outside Buffer's shared pool
      dek.copy(stored);
      this.#cache.set(key, stored);
      return dek;
    } finally {
      // Before the result reaches any waiter: no caller can join a call that has already settled.
      this.#inFlight.delete(key);
    }
  }
}

/** SHA-256 over the length-prefixed KEK reference, wrapped DEK, format version and salt. */
function cacheKey(kekRef: string, wrappedDek: Buffer, context: DekContext): string {
  const hash = createHash("sha256");
  for (const part of [Buffer.from(kekRef, "utf8"), wrappedDek, Buffer.from(context.salt)]) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(part.length);
    hash.update(length).update(part);
  }
  const version = Buffer.alloc(4);
  version.writeUInt32BE(context.formatVersion);
  return hash.update(version).digest("base64url");
}
