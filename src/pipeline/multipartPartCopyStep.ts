/**
 * UploadPartCopy into an upload created through the proxy (docs/FORMAT.md §9, §15). S3 would splice the source's
 * stored bytes into the part: ciphertext of another DEK, in records numbered for another position (or plaintext,
 * for a legacy source), which the completed object could never decrypt. So the proxy carries the copy out as an
 * UploadPart of its own:
 *
 *   HEAD source ─► pinned ranged GET of the records holding plaintext [first, last] ─► decrypt (authenticated)
 *     ─► MD5 ─► encrypt as part n under the upload's DEK (the UploadId's token) ─► upstream UploadPart
 *
 * exactly as UploadPart encrypts a client's body, streamed with backpressure, one record in memory. A legacy
 * source's range is read as it is. The token is authenticated before anything is read; the client's
 * copy-source conditions are evaluated against the source's client-visible ETag (copySourceObject.ts), and the
 * GET is pinned to the stored ETag the HEAD saw.
 *
 * The client gets a CopyPartResult whose ETag has the form UploadPart answers with (multipartPartStep.ts): the
 * MD5 of the plaintext part, which is also what S3 would answer for a copied part, and what
 * CompleteMultipartUpload maps back to the stored part (src/multipart/partEtags.ts).
 */
import { createEncryptStream, plaintextLength } from "../crypto/index.ts";
import { partCopyHeaders } from "../copy/copyRequestHeaders.ts";
import { copyPartResultXml } from "../copy/copyResultXml.ts";
import { copySourceSpan } from "../copy/copySourceRange.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import type { S3Endpoint } from "../s3/S3Endpoint.ts";
import { ChecksumVerifier } from "../s3body/ChecksumVerifier.ts";
import { md5Etag } from "./clientEtag.ts";
import { copyDocumentAnswer, writtenAt } from "./copyAnswer.ts";
import { openCopySource } from "./copySourceObject.ts";
import { copySourcePlaintext, openFedRequest } from "./copySourcePlaintext.ts";
import { toPipelineError } from "./encryptErrors.ts";
import type { Exchange } from "./Exchange.ts";
import {
  clientUploadIdOf,
  encryptedPartLength,
  openClientUpload,
  upstreamUploadQuery,
} from "./multipartUpload.ts";
import type { PartSegmentsCache } from "./partSegmentsCache.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders } from "./s3StepHeaders.ts";
import { relayS3Exchange, type ResponsePlan } from "./s3StepRelay.ts";
import { openResignedRequest } from "./s3StepResign.ts";

/**
 * Failures opening the source (malformed envelope, a DEK that does not unwrap, a tampered sealed MD5) are those
 * of reading a stored object, ProxyDecryptFailed, not of writing the part (the multipart dispatcher's view).
 */
function asReadFailure(err: unknown): never {
  throw toPipelineError(err, true);
}

export async function copyEncryptedPart(
  ex: Exchange,
  deps: S3StepDeps,
  endpoint: Pick<S3Endpoint, "style" | "bucket" | "region" | "query" | "rawQuery">,
  partNumber: number,
  partSegments: PartSegmentsCache,
): Promise<void> {
  const upload = await openClientUpload(clientUploadIdOf(endpoint), deps);
  const source = await openCopySource(ex, deps, endpoint).catch(asReadFailure);
  const total =
    source.envelope === null
      ? source.storedLength
      : plaintextLength(source.storedLength, source.envelope.header.segmentExponent);
  const rangeHeader = ex.req.headers["x-amz-copy-source-range"];
  const span = copySourceSpan(typeof rangeHeader === "string" ? rangeHeader : undefined, total);
  const length = span.end - span.start;
  const stored = encryptedPartLength(upload, length);
  ex.log.debug(
    { part: partNumber, start: span.start, end: span.end, sourceEncrypted: source.envelope !== null },
    "re-encrypting UploadPartCopy",
  );
  const md5 = new ChecksumVerifier({ compute: ["MD5"] });
  const encrypt = createEncryptStream({ keys: upload.keys, part: partNumber, plaintextLength: length });
  const plain = await copySourcePlaintext(source, span, deps, partSegments).catch(asReadFailure);
  const upstream = await openFedRequest(plain, () =>
    openResignedRequest(ex, deps, {
      method: "PUT",
      region: endpoint.region,
      headers: partCopyHeaders(ex.req.rawHeaders, stored),
      query: upstreamUploadQuery(endpoint.rawQuery, upload.upstreamUploadId),
    }),
  );
  await relayS3Exchange({
    upstream,
    res: ex.res,
    body: { source: plain.source, transforms: [...plain.transforms, md5, encrypt] },
    onResponse: (upRes): ResponsePlan => {
      const status = upRes.statusCode ?? 502;
      if (status !== 200) return { headers: clientResponseHeaders(upRes.rawHeaders), transforms: [] };
      // S3 stored the part (200) only after its last byte left the MD5 stage, which computes the digest first.
      const digest = md5.digests.get("MD5");
      if (digest === undefined) throw new ProxyError("InternalError", "The part's MD5 was not computed.");
      const xml = copyPartResultXml({ etag: md5Etag(digest), lastModified: writtenAt(upRes, deps) });
      return copyDocumentAnswer(upRes, source.versionId, xml);
    },
    // The stream's crypto is the source's decryption: a failure there is a stored object that does not verify.
    mapError: (err) => toPipelineError(err, true),
  });
}
