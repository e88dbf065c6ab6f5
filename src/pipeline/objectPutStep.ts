/**
 * PutObject through the encryption pipeline (docs/FORMAT.md §2-5): the client's body is decoded (aws-chunked
 * framing and trailers), verified against every digest the client claimed (Content-MD5, x-amz-content-sha256,
 * x-amz-checksum-*), encrypted under a fresh per-object DEK and streamed upstream in one re-signed request
 * whose Content-Length is the ciphertext length and whose metadata carries the envelope.
 *
 *   client body ─► [AwsChunkedDecoder] ─► ChecksumVerifier ─► encrypt ─► upstream PUT (re-signed)
 *
 * The verifier holds back its last chunk until every check passed, so the encryptor cannot finish (and the
 * upstream request cannot reach its declared length) for a body that fails; the failure destroys the
 * upstream request. Signed aws-chunked chunks are decoded but their signatures are not verified yet: that
 * needs the client's signing key (client identity, a later issue).
 */
import {
  ciphertextLength,
  createEncryptStream,
  encodeEnvelopeMetadata,
  openObjectKeys,
  sealPlaintextMd5,
} from "../crypto/index.ts";
import { decodeBase64Digest } from "../s3body/checksums.ts";
import { createBodyDecoding } from "../s3body/createBodyDecoding.ts";
import { md5Etag, nonMd5Etag } from "./clientEtag.ts";
import { planConditionalRequest } from "./conditionalRequest.ts";
import { parsePayloadMode, requiredPlaintextLength } from "../s3body/parsePayloadMode.ts";
import { toPipelineError } from "./encryptErrors.ts";
import { createWrappedEnvelope } from "./createWrappedEnvelope.ts";
import type { Exchange } from "./Exchange.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import {
  clientResponseHeaders,
  refuseReservedMetadata,
  objectReadHeaders,
  putUpstreamHeaders,
} from "./s3StepHeaders.ts";
import { relayS3Exchange } from "./s3StepRelay.ts";
import { openResignedRequest } from "./s3StepResign.ts";

export async function putEncryptedObject(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
): Promise<void> {
  const raw = ex.req.rawHeaders;
  refuseReservedMetadata(raw);
  const mode = parsePayloadMode(raw);
  const length = requiredPlaintextLength(mode);
  const decoding = createBodyDecoding(mode, raw);
  ex.log.debug(
    { framing: mode.framing.kind, checksum: mode.checksum?.algorithm, plaintextLength: length },
    "encrypting PutObject",
  );

  const { envelope: wrapped, derived: keys } = await createWrappedEnvelope(
    deps.keys,
    "single",
    openObjectKeys,
  );
  const encrypt = createEncryptStream({ keys, part: 0, plaintextLength: length });
  // A Content-MD5 the client sent is the plaintext MD5 (the verifier fails the upload otherwise), known before
  // the metadata goes out: record it sealed so the object can show the ETag S3 would have given the plaintext.
  const md5 = mode.contentMd5 === undefined ? undefined : decodeBase64Digest(mode.contentMd5, 16);
  const envelope = encodeEnvelopeMetadata({
    ...wrapped,
    ...(md5 === undefined ? {} : { sealedMd5: sealPlaintextMd5(keys, md5) }),
  });

  const headers = putUpstreamHeaders(raw, {
    storedContentEncoding: mode.storedContentEncoding,
    ciphertextLength: ciphertextLength(length, keys.header.segmentExponent),
    envelope,
  });
  // Conditional write (S3 PutObject If-Match): the client's ETag is the client-visible one (clientEtag.ts).
  // If-None-Match: * needs no translation and S3 takes no other If-None-Match on PUT.
  const conditional =
    ex.req.headers["if-match"] === undefined
      ? { headers }
      : await planConditionalRequest(ex, deps, region, "PUT", headers, objectReadHeaders(raw));
  const upstream = await openResignedRequest(ex, deps, {
    method: "PUT",
    region,
    headers: conditional.headers,
  });
  // Expect: 100-continue is answered here, once everything that could refuse the request has passed; it is not
  // forwarded (the upstream request is the proxy's own).
  if (ex.expectContinue) ex.res.writeContinue();
  await relayS3Exchange({
    upstream,
    res: ex.res,
    body: { source: ex.req, transforms: [...decoding.transforms, encrypt] },
    onResponse: (upRes) => {
      const upstreamEtag = upRes.headers.etag;
      const etag =
        upstreamEtag === undefined ? undefined : md5 !== undefined ? md5Etag(md5) : nonMd5Etag(upstreamEtag);
      return { headers: clientResponseHeaders(upRes.rawHeaders, { etag }), transforms: [] };
    },
    mapError: (err) => toPipelineError(err, false),
  });
}
