/**
 * ListParts through the pipeline: the UploadId is authenticated and mapped to the upstream one, and S3's answer
 * is shown in the client's terms — its own UploadId, and each part's plaintext size (a part is encrypted on its
 * own, so its plaintext length follows from its stored length alone, docs/FORMAT.md §6). ETags stay the stored
 * parts' ETags (MD5s of ciphertext), not the plaintext MD5s UploadPart answered: those are recorded nowhere
 * S3 returns them, and a made-up value would be worse. CompleteMultipartUpload accepts either form per part,
 * so a client that completes with the listed ETags works; one that resumes by comparing listed ETags with its
 * own part MD5s (s3cmd --continue-put) finds no match and uploads every part again.
 */
import { plaintextLength } from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import {
  MAX_UPLOAD_DOCUMENT_BYTES,
  withClientUploadId,
  withPartSizes,
} from "../multipart/upstreamUploadXml.ts";
import type { S3Endpoint } from "../s3/S3Endpoint.ts";
import type { Exchange } from "./Exchange.ts";
import { noBodyUploadHeaders } from "./multipartHeaders.ts";
import { clientUploadIdOf, openClientUpload, upstreamUploadQuery } from "./multipartUpload.ts";
import { fetchUpstreamDocument, sendDocument } from "./s3StepDocument.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders } from "./s3StepHeaders.ts";

export async function listUploadParts(
  ex: Exchange,
  deps: S3StepDeps,
  endpoint: Pick<S3Endpoint, "query" | "rawQuery" | "region">,
): Promise<void> {
  const upload = await openClientUpload(clientUploadIdOf(endpoint), deps);
  const doc = await fetchUpstreamDocument(ex, deps, {
    method: "GET",
    region: endpoint.region,
    headers: noBodyUploadHeaders(ex.req.rawHeaders),
    query: upstreamUploadQuery(endpoint.rawQuery, upload.upstreamUploadId),
    limit: MAX_UPLOAD_DOCUMENT_BYTES,
  });
  const headers = clientResponseHeaders(doc.rawHeaders);
  if (doc.status !== 200) {
    sendDocument(ex.res, doc.status, doc.statusMessage, headers, doc.body);
    return;
  }
  const e = upload.envelope.header.segmentExponent;
  const toPlaintext = (stored: number): number => {
    try {
      return plaintextLength(stored, e);
    } catch (err) {
      throw new ProxyError(
        "ProxyUpstreamFailed",
        "A stored part does not have the size of an encrypted part.",
        {
          cause: err,
        },
      );
    }
  };
  const xml = withClientUploadId(
    withPartSizes(doc.body.toString("utf8"), toPlaintext),
    upload.clientUploadId,
  );
  sendDocument(ex.res, 200, doc.statusMessage, headers, Buffer.from(xml));
}
