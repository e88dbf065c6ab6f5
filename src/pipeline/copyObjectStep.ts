/**
 * CopyObject through the encryption pipeline. The envelope is object metadata and the key is not bound into the
 * ciphertext (docs/FORMAT.md §12.2), so S3's own server-side copy of an encrypted object yields an encrypted
 * object that decrypts to the same plaintext — as long as the copy keeps the envelope. The proxy HEADs the source
 * first (copySourceObject.ts: envelope, stored ETag, the client's copy-source conditions) and then:
 *
 * - encrypted source, `x-amz-metadata-directive: COPY` (the default): S3 copies all metadata, envelope
 *   included; forwarded re-signed.
 * - encrypted source, REPLACE: S3 would store only the request's metadata, so the proxy adds the source's
 *   envelope (hdr, kek, dek and md5 when present) to the client's new metadata, within S3's 2 KB metadata cap
 *   (MetadataTooLarge otherwise). A copy onto itself with REPLACE — how metadata is changed, and how a DEK is
 *   re-wrapped (FORMAT §2) — is this case.
 * - plaintext (legacy) source: re-encrypted by the proxy (copyReencryptStep.ts); never copied as plaintext.
 *
 * A forwarded copy is pinned to the source the proxy evaluated (`x-amz-copy-source-if-match: <stored ETag>`,
 * replacing the client's copy-source conditions); destination conditions (If-Match on the client-visible ETag)
 * are planned as for PutObject. S3's CopyObjectResult is rewritten on its way back: the ETag the client will see
 * for the copy (the plaintext MD5 when the envelope seals one, else the stored ETag marked as not an MD5,
 * clientEtag.ts) and no checksums of the ciphertext. Client-sent x-amz-meta-s3proxy-* are refused, as on PUT.
 */
import { encodeEnvelopeMetadata } from "../crypto/index.ts";
import { metadataDirectiveOf } from "../copy/copyDirectives.ts";
import { copyObjectHeaders } from "../copy/copyRequestHeaders.ts";
import { checkMetadataBudget, userMetadataBytes } from "../copy/metadataBudget.ts";
import { rawHeader, stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";
import type { S3Endpoint } from "../s3/S3Endpoint.ts";
import { nonMd5Etag } from "./clientEtag.ts";
import { planConditionalRequest } from "./conditionalRequest.ts";
import { reencryptCopy } from "./copyReencryptStep.ts";
import { createCopyResultRewrite } from "./copyResultStream.ts";
import { openCopySource } from "./copySourceObject.ts";
import { toPipelineError } from "./encryptErrors.ts";
import type { Exchange } from "./Exchange.ts";
import type { PartSegmentsCache } from "./partSegmentsCache.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders, refuseReservedMetadata, objectReadHeaders } from "./s3StepHeaders.ts";
import { relayS3Exchange } from "./s3StepRelay.ts";
import { openResignedRequest } from "./s3StepResign.ts";

/** The rewritten document has another length; it goes out chunked. */
const LENGTH: ReadonlySet<string> = new Set(["content-length", "content-md5"]);

/**
 * S3's 200 headers without the length of the document the proxy rewrites, with the source version copied
 * (x-amz-copy-source-version-id) when the upstream left it out (radosgw 16.2 does): the copy is pinned to the
 * version the HEAD saw.
 */
function copiedHeaders(raw: RawHeaders, sourceVersionId: string | undefined): RawHeaders {
  const headers = stripHopByHop(clientResponseHeaders(raw), LENGTH);
  if (sourceVersionId !== undefined && rawHeader(headers, "x-amz-copy-source-version-id") === undefined) {
    headers.push("x-amz-copy-source-version-id", sourceVersionId);
  }
  return headers;
}

export async function copyObject(
  ex: Exchange,
  deps: S3StepDeps,
  endpoint: Pick<S3Endpoint, "style" | "bucket" | "region">,
  partSegments: PartSegmentsCache,
): Promise<void> {
  const raw = ex.req.rawHeaders;
  refuseReservedMetadata(raw);
  const directive = metadataDirectiveOf(ex.req.headers);
  const source = await openCopySource(ex, deps, endpoint);
  if (source.envelope === null) return reencryptCopy(ex, deps, source, directive, partSegments);

  const envelope = encodeEnvelopeMetadata(source.envelope);
  if (directive === "REPLACE") checkMetadataBudget(userMetadataBytes(raw), envelope);
  const headers = copyObjectHeaders(raw, { directive, envelope, sourceEtag: source.storedEtag });
  const region = endpoint.region;
  const conditional =
    ex.req.headers["if-match"] === undefined
      ? { headers }
      : await planConditionalRequest(ex, deps, region, "PUT", headers, objectReadHeaders(raw));
  ex.log.debug(
    { directive, sealedMd5: source.envelope.sealedMd5 !== undefined, sourceVersion: source.versionId },
    "forwarding CopyObject of an encrypted source",
  );
  // The copy carries the source's envelope, so its client-visible ETag follows from the same rules.
  const sealed = source.envelope.sealedMd5 !== undefined;
  const clientEtag = (stored: string): string => (sealed ? source.clientEtag : nonMd5Etag(stored));
  const upstream = await openResignedRequest(ex, deps, {
    method: "PUT",
    region,
    headers: conditional.headers,
  });
  await relayS3Exchange({
    upstream,
    res: ex.res,
    body: undefined,
    onResponse: (upRes) =>
      upRes.statusCode === 200
        ? {
            headers: copiedHeaders(upRes.rawHeaders, source.versionId),
            transforms: [createCopyResultRewrite(clientEtag)],
          }
        : { headers: clientResponseHeaders(upRes.rawHeaders), transforms: [] },
    mapError: (err) => toPipelineError(err, true),
  });
}
