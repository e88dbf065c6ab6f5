/**
 * The HEAD behind a listing rewrite (src/listing/objectFacts.ts HeadObject): one re-signed HEAD of a listed object
 * (its version, for version listings), read for its envelope and client-visible ETag. The request carries the
 * listing request's headers that also apply to reading its objects (requester pays, expected bucket owner).
 *
 * - 200 with an envelope: encrypted; the segment exponent and the client-visible ETag (a recorded MD5 is opened
 *   with the object's DEK, storedObjectEtag.ts). Without one: legacy plaintext.
 * - 4xx (404 after a raced delete, 403 without read permission, 400 for SSE-C objects), or an envelope that does
 *   not open (malformed, tampered MD5, unknown KEK): unavailable, the entry stays as listed; GET would fail or
 *   answer the same.
 * - 5xx, an unreachable upstream, a key provider that is down: thrown, retryable, and the listing fails with it
 *   rather than show some sizes wrong (sync tools would copy those objects again).
 */
import { isCryptoError, readEnvelopeMetadata } from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import { isKeyProviderError } from "../keys/index.ts";
import type { HeadObject, HeadOutcome, ListedObject } from "../listing/objectFacts.ts";
import { uriEncode } from "../sigv4/uriEncode.ts";
import type { Exchange } from "./Exchange.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { objectReadHeaders, splitTarget } from "./s3StepHeaders.ts";
import { clientEtagOf } from "./storedObjectEtag.ts";
import { headUpstream } from "./upstreamHead.ts";

const DECIMAL = /^[0-9]{1,16}$/;

/**
 * The request target of an object in the bucket a listing request addresses: the listing's path (`/bucket` for
 * path-style, `/` for virtual-hosted) with the key appended, URI-encoded the way SigV4 canonicalises it.
 */
export function objectTargetIn(listingPath: string, object: Pick<ListedObject, "key" | "versionId">): string {
  const base = splitTarget(listingPath).path.replace(/\/$/, "");
  const path = `${base}/${uriEncode(object.key, false)}`;
  return object.versionId === undefined ? path : `${path}?versionId=${uriEncode(object.versionId)}`;
}

/** The cache scope of objects in `bucket` behind the exchange's upstream (objectFactsCache.ts). */
export function factsScope(ex: Pick<Exchange, "destination">, bucket: string | undefined): string {
  return JSON.stringify([ex.destination.host, ex.destination.port, bucket ?? ""]);
}

export function headListedObject(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
  targetOf: (object: ListedObject) => string,
): HeadObject {
  const headers = objectReadHeaders(ex.req.rawHeaders);
  return async (object): Promise<HeadOutcome> => {
    const res = await headUpstream({ ...ex, path: targetOf(object) }, deps, region, headers);
    const status = res.statusCode ?? 502;
    if (status >= 500) {
      throw new ProxyError(
        "ServiceUnavailable",
        `The upstream answered a listed object's HEAD with ${status}.`,
      );
    }
    const stored = res.headers.etag;
    const length = res.headers["content-length"];
    if (status !== 200 || stored === undefined || length === undefined || !DECIMAL.test(length)) {
      return { kind: "unavailable", status };
    }
    try {
      const envelope = readEnvelopeMetadata(res.headers);
      const size = Number(length);
      if (envelope === null) return { kind: "found", etag: stored, size, facts: { encrypted: false } };
      const etag = await clientEtagOf(stored, envelope, deps.keys);
      const facts = { encrypted: true, segmentExponent: envelope.header.segmentExponent, etag } as const;
      return { kind: "found", etag: stored, size, facts };
    } catch (err) {
      if (isKeyProviderError(err) && err.retryable) {
        throw new ProxyError("ServiceUnavailable", "The key provider is unavailable; retry later.", {
          cause: err,
        });
      }
      if (isKeyProviderError(err) || isCryptoError(err)) return { kind: "unavailable", status, cause: err };
      throw err;
    }
  };
}
