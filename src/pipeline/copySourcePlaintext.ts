/**
 * Plaintext bytes [start, end) of a copy source as a stream: what UploadPartCopy and the re-encrypting
 * CopyObject feed into the destination's encryption. One pinned ranged GET (pinnedRangeGet.ts: `If-Match:
 * <stored ETag>`, the exact span checked) fetches
 * - of an encrypted source, exactly the records that hold the span (docs/FORMAT.md §7, planRange), decrypted and
 *   authenticated record by record (createDecryptStream with the plan); a multipart-layout source read from past
 *   record 0 needs its records per part K, from the cache or one more pinned GET of record 0 (as ranged reads
 *   do, objectRangeStep.ts);
 * - of a plaintext (legacy) source, the span itself.
 * The caller pipes `source` through `transforms` (stream.pipeline): backpressure from the destination's upload
 * paces the source's download, one record in memory. A record that fails authentication fails the stream, and
 * with it the upload it feeds, before that upload can complete.
 */
import type { ClientRequest } from "node:http";
import { Readable, type Transform } from "node:stream";
import {
  createDecryptStream,
  partSegmentsFromFirstRecord,
  planRange,
  recordLength,
  type ObjectKeys,
} from "../crypto/index.ts";
import type { CopySpan } from "../copy/copySourceRange.ts";
import { pinnedSource, type CopySourceObject } from "./copySourceObject.ts";
import { openStoredObjectKeys } from "./openStoredObjectKeys.ts";
import type { PartSegmentsCache } from "./partSegmentsCache.ts";
import { pinnedRangeGet, type PinnedObject } from "./pinnedRangeGet.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { readUpstreamBody } from "./upstreamBody.ts";

export interface PlaintextStream {
  readonly source: Readable;
  readonly transforms: Transform[];
}

/**
 * Opens the upstream request that `plain` will feed. The source's GET is open already: if the request cannot be
 * opened, nothing will ever read that answer, so it is released.
 */
export async function openFedRequest(
  plain: PlaintextStream,
  open: () => Promise<ClientRequest>,
): Promise<ClientRequest> {
  try {
    return await open();
  } catch (err) {
    plain.source.destroy();
    throw err;
  }
}

async function partSegmentsOf(
  object: PinnedObject,
  keys: ObjectKeys,
  cache: PartSegmentsCache,
): Promise<number> {
  const cached = cache.get(keys.header);
  if (cached !== undefined) return cached;
  const first = recordLength(0, object.ciphertextLength, keys.header.segmentExponent);
  const record0 = await readUpstreamBody(await pinnedRangeGet(object, { start: 0, end: first }), first);
  const k = partSegmentsFromFirstRecord(keys, record0, object.ciphertextLength);
  cache.set(keys.header, k);
  return k;
}

export async function copySourcePlaintext(
  source: CopySourceObject,
  span: CopySpan,
  deps: S3StepDeps,
  partSegments: PartSegmentsCache,
): Promise<PlaintextStream> {
  if (span.end <= span.start) return { source: Readable.from([]), transforms: [] };
  const object = pinnedSource(source, deps);
  const envelope = source.envelope;
  if (envelope === null) return { source: await pinnedRangeGet(object, span), transforms: [] };
  const keys = await openStoredObjectKeys(deps.keys, envelope);
  const plan = planRange({
    segmentExponent: envelope.header.segmentExponent,
    ciphertextLength: source.storedLength,
    start: span.start,
    end: span.end,
  });
  const k =
    envelope.header.layout === "multipart" && plan.firstRecord > 0
      ? await partSegmentsOf(object, keys, partSegments)
      : undefined;
  const decrypt = createDecryptStream({ keys, plan, ...(k === undefined ? {} : { partSegments: k }) });
  const body = await pinnedRangeGet(object, { start: plan.cipherStart, end: plan.cipherEnd });
  return { source: body, transforms: [decrypt] };
}
