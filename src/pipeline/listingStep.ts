/**
 * ListObjects, ListObjectsV2 and ListObjectVersions with plaintext sizes (`--list-sizes head|math`, see
 * src/listing/listSizesPolicy.ts). The listing request goes upstream re-signed with the proxy's credentials,
 * like GET and HEAD; its answer (at most 1,000 entries per page,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html, a few hundred KB) is read whole, up
 * to MAX_LISTING_BYTES, and the `<Size>` and `<ETag>` of every encrypted object's entry are replaced
 * (src/listing/rewriteListing.ts); everything else is relayed as S3 wrote it. Answers other than 200 are
 * relayed unchanged.
 *
 * Cost (README, "Sizes and ETags in listings"): `math` none; `head` one HEAD per listed object not seen
 * before, at most LIST_HEAD_CONCURRENCY at a time per listing, none for objects in the cache
 * (objectFactsCache.ts) and none for entries shorter than one record (0-byte directory markers). A debug log
 * line per listing reports the counts.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { changesFromFacts, changesFromSizeMath } from "../listing/entryChanges.ts";
import type { ListedObject } from "../listing/objectFacts.ts";
import type { ObjectFactsCache } from "../listing/objectFactsCache.ts";
import { readListing, type ListingEntry } from "../listing/readListing.ts";
import { rewriteListing } from "../listing/rewriteListing.ts";
import { RECORD_OVERHEAD } from "../crypto/index.ts";
import type { Exchange } from "./Exchange.ts";
import { factsScope, headListedObject, objectTargetIn } from "./headListedObject.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { documentReadHeaders, fetchDocumentToRewrite } from "./rewrittenDocument.ts";

/** A 1,000-key page with 1 KiB keys and owners is under 2 MiB; 16 MiB leaves room and still bounds memory. */
export const MAX_LISTING_BYTES = 16 * 1024 * 1024;
/** HEADs in flight per listing. */
export const LIST_HEAD_CONCURRENCY = 16;

export interface ListingContext {
  readonly operation: string;
  readonly region: string | undefined;
  readonly bucket: string | undefined;
  readonly policy: "head" | "math";
  readonly cache: ObjectFactsCache;
}

/** What a HEAD looks up for an entry, or undefined if it cannot be encrypted or cannot be addressed. */
function listedObject(entry: ListingEntry): ListedObject | undefined {
  const { key, etag, size, versionId } = entry;
  if (key === undefined || etag === undefined || size === undefined) return undefined;
  // Shorter than one record: no segment size makes it ciphertext (docs/FORMAT.md §6), so it cannot be ours.
  if (size < RECORD_OVERHEAD) return undefined;
  return { key, etag, size, versionId };
}

export const listingTooLarge = (): ProxyError =>
  new ProxyError(
    "ProxyListingTooLarge",
    `The listing is larger than the ${MAX_LISTING_BYTES} bytes the proxy reads to rewrite its sizes; ask for ` +
      "fewer keys per page (max-keys).",
  );

export async function listWithPlaintextSizes(
  ex: Exchange,
  deps: S3StepDeps,
  ctx: ListingContext,
): Promise<void> {
  const started = Date.now();
  const doc = await fetchDocumentToRewrite(ex, deps, {
    region: ctx.region,
    headers: documentReadHeaders(ex.req.rawHeaders),
    limit: MAX_LISTING_BYTES,
    tooLarge: listingTooLarge,
  });
  if (doc === undefined) return;
  const xml = doc.xml;
  const listing = readListing(xml);
  let changes;
  let counts: Record<string, number> = { heads: 0 };
  if (ctx.policy === "math") {
    changes = changesFromSizeMath(listing.entries);
  } else {
    const scope = factsScope(ex, ctx.bucket);
    const head = headListedObject(ex, deps, ctx.region, (o) => objectTargetIn(ex.path, o));
    const objects = listing.entries.map(listedObject);
    const { resolutions, stats } = await ctx.cache.resolve(scope, objects, head, LIST_HEAD_CONCURRENCY);
    changes = changesFromFacts(
      listing.entries,
      resolutions.map((r) => (r.kind === "known" ? r.facts : undefined)),
    );
    counts = { skipped: resolutions.filter((r) => r.kind === "skipped").length, ...stats };
  }
  ex.log.debug(
    {
      op: ctx.operation,
      policy: ctx.policy,
      entries: listing.entries.length,
      rewritten: changes.filter((c) => c !== undefined).length,
      ...counts,
      ms: Date.now() - started,
    },
    "listing sizes resolved",
  );
  doc.send(rewriteListing(xml, listing.entries, changes));
}
