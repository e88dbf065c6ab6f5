/**
 * CreateMultipartUpload through the encryption pipeline (docs/FORMAT.md §9, §15): the upload's envelope is made
 * here, once — a fresh DEK wrapped by the key provider, layout 1 — and sent as the upload's metadata, so the
 * completed object carries it like any PutObject. The client's own headers (metadata, Content-Type, ACL, …)
 * go along; its x-amz-meta-s3proxy-* are refused (reserved). S3's answer is rewritten: the client's UploadId is
 * the upstream one plus the upload token, which any replica needs to encrypt the parts without shared state.
 */
import { encodeEnvelopeMetadata } from "../crypto/index.ts";
import { joinClientUploadId } from "../multipart/clientUploadId.ts";
import { deriveUploadTokenKey, encodeUploadToken } from "../multipart/uploadToken.ts";
import {
  MAX_UPLOAD_DOCUMENT_BYTES,
  parseInitiateResult,
  withClientUploadId,
} from "../multipart/upstreamUploadXml.ts";
import { createWrappedEnvelope } from "./createWrappedEnvelope.ts";
import type { Exchange } from "./Exchange.ts";
import { createUploadHeaders } from "./multipartHeaders.ts";
import { fetchUpstreamDocument, sendDocument } from "./s3StepDocument.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders, refuseReservedMetadata } from "./s3StepHeaders.ts";

export async function createEncryptedUpload(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
): Promise<void> {
  const raw = ex.req.rawHeaders;
  refuseReservedMetadata(raw);
  const { envelope, derived: tokenKey } = await createWrappedEnvelope(deps.keys, "multipart", (header, dek) =>
    deriveUploadTokenKey(dek, header.salt),
  );
  try {
    const doc = await fetchUpstreamDocument(ex, deps, {
      method: "POST",
      region,
      headers: createUploadHeaders(raw, encodeEnvelopeMetadata(envelope)),
      limit: MAX_UPLOAD_DOCUMENT_BYTES,
    });
    const headers = clientResponseHeaders(doc.rawHeaders);
    if (doc.status !== 200) {
      sendDocument(ex.res, doc.status, doc.statusMessage, headers, doc.body);
      return;
    }
    const xml = doc.body.toString("utf8");
    const upstreamId = parseInitiateResult(xml);
    const clientId = joinClientUploadId(upstreamId, encodeUploadToken(envelope, tokenKey, upstreamId));
    ex.log.debug(
      { upstreamUploadId: upstreamId, uploadIdLength: clientId.length },
      "encrypted upload created",
    );
    sendDocument(ex.res, 200, doc.statusMessage, headers, Buffer.from(withClientUploadId(xml, clientId)));
  } finally {
    tokenKey.fill(0);
  }
}
