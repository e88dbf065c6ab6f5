/**
 * The answer to a copy the proxy carried out itself (a re-encrypted CopyObject, UploadPartCopy done as
 * UploadPart): S3's answer to the proxy's PUT, turned into the one S3 gives a copy. Its headers stay
 * (x-amz-version-id, SSE, request ids), plus `x-amz-copy-source-version-id` of the source read; ETag and length
 * move into the CopyObjectResult / CopyPartResult document, whose LastModified is the time S3 stored the write
 * (its Date header; PUT answers carry no Last-Modified).
 */
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { stripHopByHop } from "../http/hopByHop.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders } from "./s3StepHeaders.ts";
import type { ResponsePlan } from "./s3StepRelay.ts";
import { releaseUpstreamBody } from "./upstreamBody.ts";

const REPLACED_BY_DOCUMENT: ReadonlySet<string> = new Set(["etag", "content-length", "content-type"]);

/** When the upstream stored the write, epoch ms. */
export function writtenAt(upRes: IncomingMessage, deps: Pick<S3StepDeps, "now">): number {
  const date = Date.parse(upRes.headers.date ?? "");
  return Number.isNaN(date) ? (deps.now ?? Date.now)() : date;
}

export function copyDocumentAnswer(
  upRes: IncomingMessage,
  sourceVersionId: string | undefined,
  document: string,
): ResponsePlan {
  releaseUpstreamBody(upRes, 0);
  const xml = Buffer.from(document, "utf8");
  const headers = stripHopByHop(clientResponseHeaders(upRes.rawHeaders), REPLACED_BY_DOCUMENT);
  if (sourceVersionId !== undefined) headers.push("x-amz-copy-source-version-id", sourceVersionId);
  headers.push("Content-Type", "application/xml", "Content-Length", String(xml.length));
  return { status: 200, headers, transforms: [], body: Readable.from([xml]) };
}
