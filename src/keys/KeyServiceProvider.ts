/**
 * The `grpc` key provider: KEKs come from a key service over gRPC, the way the s3proxy of Edgeless Systems
 * Constellation got its KEK from the cluster's keyservice (keyservice/keyservice.proto: GetDataKey derives a key
 * for an id, the same id always giving the same bytes). Each configured id names one 256-bit KEK:
 *
 *   kekRef      grpc:<kek id>
 *   wrappedDek  AES-KW(KEK, DEK), RFC 3394: the same 40 bytes as the `aeskw` scheme (docs/FORMAT.md §2), made by
 *               the format module's wrapDekAesKw, so anyone holding the KEK bytes can unwrap with standard tools
 *
 * A KEK is fetched once, on first use (the active one already at start-up, so a wrong endpoint or id shows at
 * once), and kept in memory until close(), which zeroes it: after that, wrapping and unwrapping need no call to
 * the service, and a key service outage only affects KEKs not fetched yet. Concurrent first uses share one call;
 * a failed call is not remembered, so the next use asks again. A key that is not 32 bytes, is all zeros, or
 * equals another id's key is refused (KeySourceInvalid): such a service is broken or is not deriving keys.
 *
 * Binding: AES-KW has no associated data, and keeping the `aeskw` bytes keeps the wrapped DEK readable with the
 * KEK alone, so this provider binds nothing of the DekContext, like the local provider; the envelope's key
 * commitment already rejects a DEK from another object (FORMAT.md §4.3).
 */
import { timingSafeEqual } from "node:crypto";
import { KeyError, unwrapDekAesKw, wrapDekAesKw } from "../crypto/index.ts";
import type { DekContext } from "./dekContext.ts";
import { DekUnwrapError, KekNotFoundError, KeyProviderUnavailableError, KeySourceError } from "./errors.ts";
import { formatKekRef, parseKekRef } from "./kekRef.ts";
import type { KeyProvider, WrappedDek } from "./KeyProvider.ts";
import { type DataKeySource, KeyServiceClient } from "./keyservice/KeyServiceClient.ts";
import { keyServiceFailure } from "./keyservice/keyServiceFailure.ts";
import {
  type KeyServiceProviderOptions,
  validateKeyServiceOptions,
  type ValidKeyServiceOptions,
} from "./keyservice/keyServiceOptions.ts";

export const KEYSERVICE_SCHEME = "grpc";

/** An AES-256 KEK. */
const KEK_LENGTH = 32;
/** docs/FORMAT.md §4.1. */
const DEK_LENGTH = 32;

/** Connects and fetches the active KEK; errors as in the file comment (unreachable: KeyProviderUnavailable). */
export async function openKeyServiceProvider(
  options: KeyServiceProviderOptions,
): Promise<KeyServiceProvider> {
  const valid = validateKeyServiceOptions(options);
  const provider = new KeyServiceProvider(valid, await KeyServiceClient.create(valid));
  try {
    await provider.prefetch([valid.activeKekId]);
  } catch (err) {
    await provider.close();
    throw err;
  }
  return provider;
}

export class KeyServiceProvider implements KeyProvider {
  readonly scheme = KEYSERVICE_SCHEME;
  readonly #options: ValidKeyServiceOptions;
  readonly #client: DataKeySource;
  readonly #activeRef: string;
  readonly #keks = new Map<string, Buffer>();
  readonly #fetching = new Map<string, Promise<Buffer>>();
  #closed = false;

  /** Use openKeyServiceProvider(); the constructor fetches nothing. */
  constructor(options: ValidKeyServiceOptions, client: DataKeySource) {
    this.#options = options;
    this.#client = client;
    this.#activeRef = formatKekRef(this.scheme, options.activeKekId);
  }

  activeKekId(): string {
    return this.#options.activeKekId;
  }

  listKekIds(): readonly string[] {
    return [this.#options.activeKekId, ...this.#options.oldKekIds];
  }

  /** Fetches these KEKs now (default: all configured), e.g. to fail at start-up rather than on first read. */
  async prefetch(ids: readonly string[] = this.listKekIds()): Promise<void> {
    await Promise.all(ids.map((id) => this.#kek(id)));
  }

  async wrapDek(dek: Buffer, _context: DekContext): Promise<WrappedDek> {
    if (dek.byteLength !== DEK_LENGTH) throw new KeyError("KeyInvalid", `DEK must be ${DEK_LENGTH} bytes`);
    const kek = await this.#kek(this.#options.activeKekId);
    return { kekRef: this.#activeRef, wrappedDek: wrapDekAesKw(kek, dek) };
  }

  async unwrapDek(kekRef: string, wrappedDek: Buffer, _context: DekContext): Promise<Buffer> {
    const parsed = parseKekRef(kekRef);
    if (parsed?.scheme !== this.scheme) {
      throw new KekNotFoundError(
        kekRef,
        `KEK reference "${kekRef}" is not a ${this.scheme}:<kek id> reference`,
      );
    }
    if (!this.listKekIds().includes(parsed.id)) {
      throw new KekNotFoundError(
        kekRef,
        `KEK "${kekRef}" is not configured (this proxy uses the key service ids ` +
          `${this.listKekIds()
            .map((id) => `"${id}"`)
            .join(", ")} at ${this.#options.endpoint})`,
      );
    }
    const kek = await this.#kek(parsed.id);
    try {
      return unwrapDekAesKw(kek, wrappedDek);
    } catch (cause) {
      throw new DekUnwrapError(
        kekRef,
        `the wrapped DEK does not unwrap under "${kekRef}" (wrong KEK or corrupted wrapped DEK)`,
        { cause },
      );
    }
  }

  /** Zeroes the KEKs and closes the channel; later calls fail with KeyProviderUnavailable. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    for (const kek of this.#keks.values()) kek.fill(0);
    this.#keks.clear();
    this.#client.close();
    return Promise.resolve();
  }

  #kek(id: string): Promise<Buffer> {
    if (this.#closed) {
      return Promise.reject(
        new KeyProviderUnavailableError(`the key provider for ${this.#options.endpoint} is closed`),
      );
    }
    const cached = this.#keks.get(id);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = this.#fetching.get(id);
    if (pending === undefined) {
      pending = this.#fetch(id).finally(() => this.#fetching.delete(id));
      this.#fetching.set(id, pending);
    }
    return pending;
  }

  async #fetch(id: string): Promise<Buffer> {
    let key: Buffer;
    try {
      key = await this.#client.getDataKey(id, KEK_LENGTH);
    } catch (err) {
      throw keyServiceFailure(err, this.#options.endpoint, this.scheme, id);
    }
    const problem = this.#problem(id, key);
    if (problem !== undefined || this.#closed) {
      key.fill(0);
      if (problem !== undefined) {
        throw new KeySourceError(
          `the key service at ${this.#options.endpoint} ${problem}; refusing to use it`,
        );
      }
      throw new KeyProviderUnavailableError(`the key provider for ${this.#options.endpoint} is closed`);
    }
    this.#keks.set(id, key);
    return key;
  }

  /** Why `key` cannot be the KEK `id`, or undefined. */
  #problem(id: string, key: Buffer): string | undefined {
    if (key.length !== KEK_LENGTH) return `returned ${key.length} bytes for "${id}", not ${KEK_LENGTH}`;
    if (key.every((b) => b === 0))
      return `returned an all-zero key for "${id}" (docs/KEYS.md: never a zero key)`;
    for (const [other, kek] of this.#keks) {
      if (timingSafeEqual(kek, key)) return `returned the same key for "${id}" and "${other}"`;
    }
    return undefined;
  }
}
