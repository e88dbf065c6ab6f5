/**
 * The tags a copy the proxy writes itself (a re-encrypted plaintext source, copyReencryptStep.ts) must give the
 * destination, as `x-amz-tagging`: CopyObject's `x-amz-tagging-directive` COPY (the default) gives it the
 * source's tags, REPLACE the request's x-amz-tagging (API_CopyObject.html). The source's tags cost one
 * GetObjectTagging, only when its HEAD counted any (x-amz-tagging-count).
 */
import { taggingDirectiveOf } from "../copy/copyDirectives.ts";
import { encodeTagging, parseTagSet } from "../copy/taggingXml.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import { rawHeader, stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";
import type { CopySourceObject } from "./copySourceObject.ts";
import type { Exchange } from "./Exchange.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { fetchUpstreamDocument } from "./s3StepDocument.ts";
import { splitTarget } from "./s3StepHeaders.ts";

const SSE_C_HEADERS: ReadonlySet<string> = new Set([
  "x-amz-server-side-encryption-customer-algorithm",
  "x-amz-server-side-encryption-customer-key",
  "x-amz-server-side-encryption-customer-key-md5",
]);
/** A tag set is at most 10 tags of 128 + 256 characters. */
const MAX_TAGGING_DOCUMENT = 64 * 1024;

/** `x-amz-tagging` for the destination, as CopyObject's tagging directive would have it. */
export async function destinationTagging(
  ex: Exchange,
  deps: S3StepDeps,
  source: CopySourceObject,
): Promise<string | undefined> {
  if (taggingDirectiveOf(ex.req.headers) === "REPLACE") {
    const tagging = ex.req.headers["x-amz-tagging"];
    return typeof tagging === "string" ? tagging : undefined;
  }
  const count = Number(rawHeader(source.head, "x-amz-tagging-count") ?? "0");
  if (!(count > 0)) return undefined;
  const query = splitTarget(source.view.path).query;
  const doc = await fetchUpstreamDocument(source.view, deps, {
    method: "GET",
    region: source.region,
    headers: tagReadHeaders(source.readHeaders),
    query: query === "" ? "tagging" : `${query}&tagging`,
    limit: MAX_TAGGING_DOCUMENT,
  });
  if (doc.status !== 200) {
    throw new ProxyError(
      "ProxyUpstreamFailed",
      `Reading the copy source's tags failed upstream (${doc.status}).`,
    );
  }
  return encodeTagging(parseTagSet(doc.body.toString("utf8")));
}

/** GetObjectTagging takes the payer and owner headers of a read, not its SSE-C key. */
function tagReadHeaders(readHeaders: RawHeaders): RawHeaders {
  return stripHopByHop(readHeaders, SSE_C_HEADERS);
}
