/**
 * CopyObject of a plaintext (legacy) source. S3 would copy it as it is, and the destination — written through
 * the proxy, which promises that what it writes is encrypted — would be plaintext. So the proxy carries out the
 * copy itself: it streams the source (one GET, pinned to the ETag its HEAD saw) through a fresh envelope's
 * encryption into a PutObject of the destination, exactly as PutObject encrypts a client's body:
 *
 *   pinned GET of the source ─► encrypt (fresh DEK) ─► upstream PUT of the destination (re-signed)
 *
 * The PUT gets what CopyObject would have given the destination (copyRequestHeaders.ts): the source's metadata
 * and Content-* headers (directive COPY) or the request's (REPLACE), the source's tags (tagging directive COPY,
 * one GetObjectTagging) or the request's, and the client's destination headers (ACL, storage class, SSE, object
 * lock, If-Match/If-None-Match). The client gets a CopyObjectResult as from S3. A single PUT holds at most 5 GiB
 * of ciphertext; larger sources need a multipart copy (UploadPartCopy), which clients use for them anyway.
 * No plaintext MD5 is recorded (it is not known before the metadata goes out), so the copy shows the stored ETag
 * marked as not an MD5 (clientEtag.ts).
 */
import {
  ciphertextLength,
  createEncryptStream,
  DEFAULT_SEGMENT_EXPONENT,
  encodeEnvelopeMetadata,
  metadataBytes,
  openObjectKeys,
} from "../crypto/index.ts";
import type { CopyDirective } from "../copy/copyDirectives.ts";
import { reencryptPutHeaders } from "../copy/copyRequestHeaders.ts";
import { copyObjectResultXml } from "../copy/copyResultXml.ts";
import { checkMetadataBudget, userMetadataBytes } from "../copy/metadataBudget.ts";
import { ProxyError, toProxyError } from "../errors/ProxyError.ts";
import { MAX_PUT_SIZE } from "../s3body/parsePayloadMode.ts";
import { nonMd5Etag } from "./clientEtag.ts";
import { planConditionalRequest } from "./conditionalRequest.ts";
import { copyDocumentAnswer, writtenAt } from "./copyAnswer.ts";
import type { CopySourceObject } from "./copySourceObject.ts";
import { copySourcePlaintext, openFedRequest } from "./copySourcePlaintext.ts";
import { createWrappedEnvelope } from "./createWrappedEnvelope.ts";
import { destinationTagging } from "./copySourceTags.ts";
import { toPipelineError } from "./encryptErrors.ts";
import type { Exchange } from "./Exchange.ts";
import type { PartSegmentsCache } from "./partSegmentsCache.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders, objectReadHeaders } from "./s3StepHeaders.ts";
import { relayS3Exchange } from "./s3StepRelay.ts";
import { openResignedRequest } from "./s3StepResign.ts";

export async function reencryptCopy(
  ex: Exchange,
  deps: S3StepDeps,
  source: CopySourceObject,
  directive: CopyDirective,
  partSegments: PartSegmentsCache,
): Promise<void> {
  const raw = ex.req.rawHeaders;
  const region = source.region;
  const length = source.storedLength;
  const stored = ciphertextLength(length, DEFAULT_SEGMENT_EXPONENT);
  if (stored > MAX_PUT_SIZE) {
    throw new ProxyError(
      "InvalidRequest",
      `The copy source is a plaintext object of ${length} bytes, ${stored} bytes encrypted: more than a single ` +
        "PUT allows (5 GiB). Copy it with a multipart copy (UploadPartCopy) instead.",
    );
  }
  const tagging = await destinationTagging(ex, deps, source);

  // A failure to wrap the new DEK is the writer's (as on PutObject), not one of reading a stored object.
  const { envelope: wrapped, derived: keys } = await createWrappedEnvelope(
    deps.keys,
    "single",
    openObjectKeys,
  ).catch((err: unknown) => {
    throw toProxyError(toPipelineError(err, false));
  });
  const envelope = encodeEnvelopeMetadata(wrapped);
  const headers = reencryptPutHeaders(raw, {
    directive,
    sourceHead: source.head,
    tagging,
    ciphertextLength: stored,
    envelope,
  });
  checkMetadataBudget(userMetadataBytes(headers) - metadataBytes(envelope), envelope);
  // Destination conditions (If-Match on the client-visible ETag), as PutObject evaluates them.
  const conditional =
    ex.req.headers["if-match"] === undefined
      ? { headers }
      : await planConditionalRequest(ex, deps, region, "PUT", headers, objectReadHeaders(raw));
  ex.log.debug(
    { directive, plaintextLength: length, tagged: tagging !== undefined },
    "re-encrypting a plaintext copy source",
  );

  const encrypt = createEncryptStream({ keys, part: 0, plaintextLength: length });
  const plain = await copySourcePlaintext(source, { start: 0, end: length }, deps, partSegments);
  const upstream = await openFedRequest(plain, () =>
    openResignedRequest(ex, deps, { method: "PUT", region, headers: conditional.headers, query: "" }),
  );
  await relayS3Exchange({
    upstream,
    res: ex.res,
    body: { source: plain.source, transforms: [...plain.transforms, encrypt] },
    onResponse: (upRes) => {
      if (upRes.statusCode !== 200)
        return { headers: clientResponseHeaders(upRes.rawHeaders), transforms: [] };
      const etag = upRes.headers.etag;
      if (etag === undefined) {
        throw new ProxyError("ProxyUpstreamFailed", "The upstream answered a PUT without an ETag.");
      }
      const xml = copyObjectResultXml({ etag: nonMd5Etag(etag), lastModified: writtenAt(upRes, deps) });
      return copyDocumentAnswer(upRes, source.versionId, xml);
    },
    mapError: (err) => toPipelineError(err, true),
  });
}
