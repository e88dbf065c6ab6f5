/**
 * The copy-source conditions of CopyObject and UploadPartCopy (`x-amz-copy-source-if-match`, `-if-none-match`,
 * `-if-modified-since`, `-if-unmodified-since`). Clients name the ETag they saw through the proxy (the
 * client-visible one, src/pipeline/clientEtag.ts), which S3 does not know, so the proxy evaluates them itself
 * against the source's HEAD and then pins the copy to the object it evaluated.
 *
 * S3's rules (API_CopyObject.html, "x-amz-copy-source-if-*") are RFC 9110 §13.2.2's for a GET, except that
 * every failure is 412, never 304: if-match true + if-unmodified-since false copies; if-none-match false +
 * if-modified-since true fails. So the evaluation is src/http/preconditions.ts's for GET, with "not modified"
 * read as "precondition failed".
 */
import type { IncomingHttpHeaders } from "node:http";
import {
  evaluatePreconditions,
  hasPreconditions,
  readPreconditions,
  type Preconditions,
} from "../http/preconditions.ts";

export function readCopySourceConditions(headers: IncomingHttpHeaders): Preconditions {
  const one = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(", ") : v;
  };
  return readPreconditions({
    "if-match": one("x-amz-copy-source-if-match"),
    "if-none-match": one("x-amz-copy-source-if-none-match"),
    "if-modified-since": one("x-amz-copy-source-if-modified-since"),
    "if-unmodified-since": one("x-amz-copy-source-if-unmodified-since"),
  });
}

/** True when the copy may go ahead for a source with this client-visible ETag and Last-Modified (epoch ms). */
export function copySourceConditionsHold(
  conditions: Preconditions,
  source: { etag: string; lastModified: number | undefined },
): boolean {
  if (!hasPreconditions(conditions)) return true;
  return evaluatePreconditions(conditions, source, "GET") === "proceed";
}
