/**
 * CompleteMultipartUpload through the encryption pipeline (docs/FORMAT.md §9, §15). UploadPart cannot know
 * which part is the last, so the layout rules of the format — parts 1..N numbered without gaps, parts 1..N-1
 * equal and a multiple of the 64 KiB segment, part N no larger — are enforced here, before S3 assembles
 * anything:
 *
 *   client part list (XML, bounded, checksums verified) ─┐
 *   ListParts upstream (stored sizes and ETags, paged) ──┴─► checkCompleteParts ─► upstream Complete (re-signed)
 *
 * The client names its parts by the plaintext MD5s UploadPart answered (or by the stored ETags ListParts shows);
 * the upstream document lists PartNumber and the stored part's ETag only (the client's per-part checksums
 * describe plaintext the upstream never stored). S3's answer is relayed as it streams — a Complete may hold its
 * 200 open for minutes, sending whitespace, and may end in an error document — with its ETag replaced by the one
 * S3 would give the plaintext upload, computed from the client's part ETags (src/multipart/partEtags.ts). A
 * later HEAD or GET shows the stored multipart ETag instead: the plaintext part MD5s are not known when the
 * upload's metadata is fixed (CreateMultipartUpload), and Complete cannot add metadata.
 */
import { Readable } from "node:stream";
import { ProxyError } from "../errors/ProxyError.ts";
import { rawHeader, type RawHeaders } from "../http/hopByHop.ts";
import { checkCompleteParts } from "../multipart/checkCompleteParts.ts";
import {
  completeUploadXml,
  MAX_COMPLETE_DOCUMENT_BYTES,
  parseCompleteUpload,
} from "../multipart/completeUploadXml.ts";
import { upstreamCompleteParts } from "../multipart/partEtags.ts";
import {
  MAX_UPLOAD_DOCUMENT_BYTES,
  parseListPartsPage,
  type StoredPart,
} from "../multipart/upstreamUploadXml.ts";
import type { S3Endpoint } from "../s3/S3Endpoint.ts";
import { createBodyDecoding } from "../s3body/createBodyDecoding.ts";
import { parsePayloadMode } from "../s3body/parsePayloadMode.ts";
import { uriEncode } from "../sigv4/uriEncode.ts";
import { toPipelineError } from "./encryptErrors.ts";
import type { Exchange } from "./Exchange.ts";
import { completeUploadHeaders } from "./multipartHeaders.ts";
import { clientUploadIdOf, openClientUpload, upstreamUploadQuery } from "./multipartUpload.ts";
import { readBoundedBody } from "./readBoundedBody.ts";
import { fetchUpstreamDocument } from "./s3StepDocument.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders } from "./s3StepHeaders.ts";
import { relayS3Exchange } from "./s3StepRelay.ts";
import { openResignedRequest } from "./s3StepResign.ts";

/** Headers of the client's Complete that a ListParts of the same upload needs too (SSE-C, payer, owner). */
const LIST_PARTS_HEADERS = [
  "x-amz-request-payer",
  "x-amz-expected-bucket-owner",
  "x-amz-server-side-encryption-customer-algorithm",
  "x-amz-server-side-encryption-customer-key",
  "x-amz-server-side-encryption-customer-key-md5",
];
/** 10,000 parts at 1,000 per page; one more page would mean the upstream does not page as S3 does. */
const MAX_PAGES = 11;

/** Every part S3 holds for the upload, by part number (ListParts, paged). */
async function listStoredParts(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
  upstreamUploadId: string,
): Promise<Map<number, StoredPart>> {
  const headers: RawHeaders = [];
  for (const name of LIST_PARTS_HEADERS) {
    const value = rawHeader(ex.req.rawHeaders, name);
    if (value !== undefined) headers.push(name, value);
  }
  const parts = new Map<number, StoredPart>();
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query =
      `max-parts=1000&uploadId=${uriEncode(upstreamUploadId)}` +
      (marker === undefined ? "" : `&part-number-marker=${uriEncode(marker)}`);
    const doc = await fetchUpstreamDocument(ex, deps, {
      method: "GET",
      region,
      headers,
      query,
      limit: MAX_UPLOAD_DOCUMENT_BYTES,
    });
    if (doc.status === 404)
      throw new ProxyError("NoSuchUpload", "The specified multipart upload does not exist.");
    if (doc.status !== 200) {
      throw new ProxyError(
        "ProxyUpstreamFailed",
        `ListParts for the completion failed upstream (${doc.status}).`,
      );
    }
    const listed = parseListPartsPage(doc.body.toString("utf8"));
    for (const part of listed.parts) parts.set(part.partNumber, part);
    if (!listed.truncated) return parts;
    if (listed.nextPartNumberMarker === undefined || listed.nextPartNumberMarker === marker) break;
    marker = listed.nextPartNumberMarker;
  }
  throw new ProxyError("ProxyUpstreamFailed", "ListParts for the completion did not end.");
}

export async function completeEncryptedUpload(
  ex: Exchange,
  deps: S3StepDeps,
  endpoint: Pick<S3Endpoint, "query" | "rawQuery" | "region">,
): Promise<void> {
  const raw = ex.req.rawHeaders;
  const upload = await openClientUpload(clientUploadIdOf(endpoint), deps);
  const mode = parsePayloadMode(raw);
  if (mode.plaintextLength !== undefined && mode.plaintextLength > MAX_COMPLETE_DOCUMENT_BYTES) {
    throw new ProxyError(
      "MaxMessageLengthExceeded",
      `The CompleteMultipartUpload document exceeds ${MAX_COMPLETE_DOCUMENT_BYTES} bytes.`,
    );
  }
  if (ex.expectContinue) ex.res.writeContinue();
  const document = await readBoundedBody(
    ex.req,
    createBodyDecoding(mode, raw).transforms,
    MAX_COMPLETE_DOCUMENT_BYTES,
  );
  const requested = parseCompleteUpload(document.toString("utf8"));

  const stored = await listStoredParts(ex, deps, endpoint.region, upload.upstreamUploadId);
  const geometry = checkCompleteParts(requested, stored, upload.envelope.header.segmentExponent);
  // x-amz-mp-object-size is the plaintext size the client expects; S3 would compare it with the ciphertext.
  const expectedSize = rawHeader(raw, "x-amz-mp-object-size")?.trim();
  if (expectedSize !== undefined && expectedSize !== String(geometry.plaintextLength)) {
    throw new ProxyError(
      "InvalidRequest",
      `x-amz-mp-object-size ${expectedSize} does not match the parts' total size ${geometry.plaintextLength}.`,
    );
  }
  ex.log.debug(
    {
      parts: geometry.partCount,
      partSegments: geometry.partSegments,
      plaintextLength: geometry.plaintextLength,
    },
    "completing encrypted upload",
  );

  const xml = Buffer.from(completeUploadXml(upstreamCompleteParts(requested, stored)));
  const upstream = await openResignedRequest(ex, deps, {
    method: "POST",
    region: endpoint.region,
    headers: completeUploadHeaders(raw, xml.length),
    query: upstreamUploadQuery(endpoint.rawQuery, upload.upstreamUploadId),
  });
  await relayS3Exchange({
    upstream,
    res: ex.res,
    body: { source: Readable.from([xml]), transforms: [] },
    // The stored multipart ETag, as HEAD, GET and listings will show it (README "ETags"): an ETag computed from
    // the plaintext part MD5s would differ from every later answer and fail the client's If-Match.
    onResponse: (upRes) => ({ headers: clientResponseHeaders(upRes.rawHeaders), transforms: [] }),
    mapError: (err) => toPipelineError(err, false),
  });
}
