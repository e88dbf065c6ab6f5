/**
 * UploadPart through the encryption pipeline (docs/FORMAT.md §9, §15). Whichever replica receives the part
 * encrypts it alone: the UploadId's token gives the envelope and wrapped DEK (authenticated before a byte of
 * the body is read), the query the part number, the headers its plaintext length. The body is decoded and
 * verified exactly like a PutObject's (every payload mode, aws-chunked with trailers, Content-MD5,
 * x-amz-checksum-*), and the verifier holds back its last chunk until every claim passed, so a part that fails
 * never completes upstream. It streams: one record in memory, never the part.
 *
 * The upstream Content-Length is the part's ciphertext length; S3's 5 GiB part limit applies to it. The
 * response's ETag is what S3 would answer for the plaintext part, `"<hex MD5 of the plaintext>"`, computed by the
 * verifier as the part streams: clients compare it with their own MD5 of the part (s3cmd fails the upload
 * otherwise) and derive the object's multipart ETag from it. CompleteMultipartUpload maps it back to the stored
 * part (src/multipart/partEtags.ts).
 */
import type { IncomingMessage } from "node:http";
import { createEncryptStream } from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import type { S3Endpoint } from "../s3/S3Endpoint.ts";
import type { ChecksumVerifier } from "../s3body/ChecksumVerifier.ts";
import { createBodyDecoding } from "../s3body/createBodyDecoding.ts";
import { parsePayloadMode, requiredPlaintextLength } from "../s3body/parsePayloadMode.ts";
import { md5Etag } from "./clientEtag.ts";
import { toPipelineError } from "./encryptErrors.ts";
import type { Exchange } from "./Exchange.ts";
import {
  clientUploadIdOf,
  encryptedPartLength,
  openClientUpload,
  upstreamUploadQuery,
} from "./multipartUpload.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders, putUpstreamHeaders } from "./s3StepHeaders.ts";
import { relayS3Exchange } from "./s3StepRelay.ts";
import { openResignedRequest } from "./s3StepResign.ts";

/**
 * The client's ETag for a stored part: the plaintext MD5. S3 can only have stored the part (2xx) after the last
 * plaintext byte left the verifier, which computes its digests before releasing that byte; without an ETag or
 * on an error answer there is nothing to replace.
 */
function partEtag(upRes: IncomingMessage, verifier: ChecksumVerifier): string | undefined {
  const status = upRes.statusCode ?? 0;
  if (upRes.headers.etag === undefined || status < 200 || status > 299) return undefined;
  const md5 = verifier.digests.get("MD5");
  // Never the ciphertext's MD5 in its place: Complete would take it for a plaintext MD5.
  if (md5 === undefined) throw new ProxyError("InternalError", "The part's MD5 was not computed.");
  return md5Etag(md5);
}

export async function uploadEncryptedPart(
  ex: Exchange,
  deps: S3StepDeps,
  endpoint: Pick<S3Endpoint, "query" | "rawQuery" | "region">,
  partNumber: number,
): Promise<void> {
  const raw = ex.req.rawHeaders;
  const mode = parsePayloadMode(raw);
  const length = requiredPlaintextLength(mode);
  const upload = await openClientUpload(clientUploadIdOf(endpoint), deps);
  const stored = encryptedPartLength(upload, length);
  const decoding = createBodyDecoding(mode, raw, { compute: ["MD5"] });
  const encrypt = createEncryptStream({ keys: upload.keys, part: partNumber, plaintextLength: length });
  ex.log.debug(
    {
      part: partNumber,
      framing: mode.framing.kind,
      checksum: mode.checksum?.algorithm,
      plaintextLength: length,
    },
    "encrypting UploadPart",
  );
  const upstream = await openResignedRequest(ex, deps, {
    method: "PUT",
    region: endpoint.region,
    headers: putUpstreamHeaders(raw, {
      storedContentEncoding: undefined,
      ciphertextLength: stored,
      envelope: {},
    }),
    query: upstreamUploadQuery(endpoint.rawQuery, upload.upstreamUploadId),
  });
  // Expect: 100-continue is answered once everything that could refuse the part (the token above) has passed.
  if (ex.expectContinue) ex.res.writeContinue();
  await relayS3Exchange({
    upstream,
    res: ex.res,
    body: { source: ex.req, transforms: [...decoding.transforms, encrypt] },
    onResponse: (upRes) => ({
      headers: clientResponseHeaders(upRes.rawHeaders, { etag: partEtag(upRes, decoding.verifier) }),
      transforms: [],
    }),
    mapError: (err) => toPipelineError(err, false),
  });
}
