/**
 * Facts about listed objects (objectFacts.ts), learned by HEADing them and kept in a bounded LRU so that a
 * listing seen again costs no requests. The cache key is the object's scope (upstream and bucket), key, stored
 * ETag and stored size: an object with the same ETag and size is the same stored content (for single-part
 * objects the ETag is the MD5 of the stored bytes, for multipart ones the MD5 of the part MD5s), and the same
 * ciphertext implies the same envelope header, because the header is authenticated by every record. So an entry
 * never goes stale in a harmful way: an overwrite changes the ETag and misses the cache. Version ids are not
 * part of the key for the same reason (two versions with equal ETag and size hold the same bytes), so a
 * version listing and a plain listing share entries.
 *
 * HEADs for one resolve() run at most `concurrency` at a time; HEADs of the same object already under way for
 * another listing are joined, not repeated. A failure that fails the listing (HeadObject rejects) stops new
 * HEADs from starting.
 */
import { LRUCache } from "lru-cache";
import {
  sameEtag,
  type HeadObject,
  type HeadOutcome,
  type ListedObject,
  type ObjectFacts,
} from "./objectFacts.ts";

export type Resolution =
  | { readonly kind: "known"; readonly facts: ObjectFacts }
  /** HEAD found another ETag or size: the object changed after it was listed. */
  | { readonly kind: "changed" }
  | { readonly kind: "unavailable"; readonly status: number | undefined; readonly cause?: unknown }
  /** Not looked up (no key, ETag or size, or too short to be ciphertext). */
  | { readonly kind: "skipped" };

export interface ResolveStats {
  /** Entries answered from the cache. */
  cached: number;
  /** HEADs this call sent. */
  heads: number;
  /** Entries whose HEAD another listing had already started. */
  joined: number;
  changed: number;
  unavailable: number;
}

export interface ObjectFactsCache {
  resolve(
    scope: string,
    objects: readonly (ListedObject | undefined)[],
    head: HeadObject,
    concurrency: number,
  ): Promise<{ resolutions: Resolution[]; stats: ResolveStats }>;
  /** Entries held now. */
  readonly size: number;
}

/** About 100,000 objects; each entry is its key string plus ~200 bytes, capped in total by MAX_BYTES. */
export const DEFAULT_MAX_ENTRIES = 100_000;
const MAX_BYTES = 32 * 1024 * 1024;

export function createObjectFactsCache(maxEntries = DEFAULT_MAX_ENTRIES): ObjectFactsCache {
  const lru = new LRUCache<string, ObjectFacts>({
    max: maxEntries,
    maxSize: MAX_BYTES,
    sizeCalculation: (_value, key) => 2 * key.length + 200,
  });
  const inflight = new Map<string, Promise<HeadOutcome>>();
  const keyOf = (scope: string, key: string, etag: string, size: number): string =>
    JSON.stringify([scope, key, etag.replace(/"/g, ""), size]);

  async function lookUp(
    scope: string,
    object: ListedObject,
    head: HeadObject,
    stats: ResolveStats,
  ): Promise<Resolution> {
    const key = keyOf(scope, object.key, object.etag, object.size);
    let pending = inflight.get(key);
    if (pending === undefined) {
      stats.heads += 1;
      pending = head(object).then((outcome) => {
        if (outcome.kind === "found")
          lru.set(keyOf(scope, object.key, outcome.etag, outcome.size), outcome.facts);
        return outcome;
      });
      const shared = pending;
      inflight.set(key, shared);
      void shared.then(
        () => inflight.delete(key),
        () => inflight.delete(key),
      );
    } else {
      stats.joined += 1;
    }
    const outcome = await pending;
    if (outcome.kind === "unavailable") {
      stats.unavailable += 1;
      return outcome;
    }
    if (!sameEtag(outcome.etag, object.etag) || outcome.size !== object.size) {
      stats.changed += 1;
      return { kind: "changed" };
    }
    return { kind: "known", facts: outcome.facts };
  }

  return {
    get size() {
      return lru.size;
    },
    async resolve(scope, objects, head, concurrency) {
      const stats: ResolveStats = { cached: 0, heads: 0, joined: 0, changed: 0, unavailable: 0 };
      const resolutions: Resolution[] = objects.map(() => ({ kind: "skipped" }));
      const todo: number[] = [];
      objects.forEach((object, i) => {
        if (object === undefined) return;
        const facts = lru.get(keyOf(scope, object.key, object.etag, object.size));
        if (facts === undefined) {
          todo.push(i);
          return;
        }
        stats.cached += 1;
        resolutions[i] = { kind: "known", facts };
      });
      let next = 0;
      let failure: { error: unknown } | undefined;
      const worker = async (): Promise<void> => {
        while (failure === undefined && next < todo.length) {
          const i = todo[next++] ?? 0;
          const object = objects[i];
          if (object === undefined) continue;
          try {
            resolutions[i] = await lookUp(scope, object, head, stats);
          } catch (error) {
            failure ??= { error };
          }
        }
      };
      const workers = Math.max(1, Math.min(concurrency, todo.length));
      await Promise.all(Array.from({ length: workers }, worker));
      if (failure !== undefined) throw failure.error;
      return { resolutions, stats };
    },
  };
}
