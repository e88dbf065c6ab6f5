/**
 * Records per part (K) of multipart-layout objects, by envelope header. A range that does not start at record
 * 0 needs K, which only record 0 carries: one extra ranged GET (docs/FORMAT.md §7). Parallel ranged downloads
 * (the AWS CLI fetches 8 MiB chunks) would pay it for every chunk; FORMAT §7 allows caching it by the envelope,
 * because K is an authenticated property of the ciphertext the header's DEK and salt identify (copies of the
 * object carry the same records). The header bytes are the key: they include the salt and bind the DEK through
 * the commitment. Bounded LRU, about 150 bytes per entry.
 */
import { LRUCache } from "lru-cache";
import type { EnvelopeHeader } from "../crypto/index.ts";

export interface PartSegmentsCache {
  get(header: EnvelopeHeader): number | undefined;
  set(header: EnvelopeHeader, partSegments: number): void;
}

export function createPartSegmentsCache(max = 10_000): PartSegmentsCache {
  const cache = new LRUCache<string, number>({ max });
  const key = (header: EnvelopeHeader): string => header.bytes.toString("base64");
  return {
    get: (header) => cache.get(key(header)),
    set: (header, partSegments) => void cache.set(key(header), partSegments),
  };
}
