/**
 * A bounded, short-lived store of unwrapped DEKs, so a hot object does not cost a KMS Decrypt per request
 * (the idea of the AWS Encryption SDK's data key caching, which bounds entries and age for the same reason:
 * https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/data-key-caching.html).
 *
 * - An entry lives `ttlMs` from the moment it was stored; hits do not extend it. The age bound is what limits
 *   how long a DEK stays usable after its KEK was disabled or the proxy's permission on it revoked.
 * - Every entry has the same TTL, so insertion order is expiry order: expired entries are dropped from the front
 *   on every operation (and by `sweep()`), and when the store is full the oldest entry goes, which is also the
 *   one closest to expiring anyway.
 * - `set` takes ownership of the buffer it is given and zeroes it when the entry leaves the store (expiry,
 *   eviction, replacement, `clear()`); every hit returns a fresh copy, which the caller may zero itself.
 *
 * Keys are opaque strings (CachingKeyProvider derives them from the KEK reference, wrapped DEK and context).
 * The clock is injected; nothing here schedules timers.
 */

export interface DekCacheOptions {
  /** At most this many DEKs; >= 1. */
  readonly maxEntries: number;
  /** Each DEK is dropped this many milliseconds after it was stored; > 0. */
  readonly ttlMs: number;
  /** Milliseconds, monotonic enough for TTLs; default `performance.now`. */
  readonly now?: () => number;
}

interface Entry {
  readonly dek: Buffer;
  readonly expiresAt: number;
}

export class DekCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: DekCacheOptions) {
    if (!Number.isSafeInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError(`DEK cache size must be a positive integer, not ${options.maxEntries}`);
    }
    if (!Number.isFinite(options.ttlMs) || options.ttlMs <= 0) {
      throw new RangeError(`DEK cache TTL must be a positive number of milliseconds, not ${options.ttlMs}`);
    }
    this.#maxEntries = options.maxEntries;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Live entries (after dropping the expired ones). */
  get size(): number {
    this.sweep();
    return this.#entries.size;
  }

  /** A copy of the DEK stored under `key`, or undefined when there is none or it expired. */
  get(key: string): Buffer | undefined {
    this.sweep();
    const entry = this.#entries.get(key);
    return entry === undefined ? undefined : ownedCopy(entry.dek);
  }

  /**
   * Stores `dek` under `key` (replacing an older entry), evicting the oldest entries over the bound. The cache
   * owns `dek` from now on: the caller must not use or change it.
   */
  set(key: string, dek: Buffer): void {
    this.sweep();
    if (this.#entries.get(key)?.dek === dek) this.#entries.delete(key);
    else this.#drop(key);
    this.#entries.set(key, { dek, expiresAt: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#drop(oldest.value);
    }
  }

  /** Drops (and zeroes) every expired entry. */
  sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#drop(key);
    }
  }

  /** Drops (and zeroes) every entry. */
  clear(): void {
    for (const key of [...this.#entries.keys()]) this.#drop(key);
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    entry.dek.fill(0);
    this.#entries.delete(key);
  }
}

/** A copy in memory of its own (Buffer.from takes small copies from a shared pool slab). */
function ownedCopy(dek: Buffer): Buffer {
  const copy = Buffer.alloc(dek.length);
  dek.copy(copy);
  return copy;
}
