/**
 * The body check behind RestoreObject's `bodyCheck: "restore-request"` (operationTable.ts). A RestoreObject
 * request either restores an archived object (safe to forward: no data moves through the request) or, with
 * `<Type>SELECT</Type>`, runs S3 Select over the archived bytes, which are ciphertext, and writes the result to
 * an `<OutputLocation>` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_RestoreObject.html,
 * .../API/API_RestoreRequest.html). The method and URL are the same for both, so the body decides.
 *
 * Fail closed: only a well-formed `<RestoreRequest>` whose children are all plain-restore elements (Days,
 * GlacierJobParameters, Tier, Description) is accepted; anything else, including elements this check does
 * not know, a DOCTYPE, or an oversized body, is refused. An empty body is a plain restore.
 */
import { XMLValidator } from "fast-xml-parser";
import { s3XmlParser } from "../xml/s3XmlParser.ts";

export type RestoreRequestCheck =
  { action: "forward" } | { action: "refuse"; refuseCode: "NotImplemented"; reason: string };

/** RestoreRequest documents are a few hundred bytes; anything far larger is not one. */
export const MAX_RESTORE_REQUEST_BYTES = 64 * 1024;

const PLAIN_RESTORE_CHILDREN = new Set(["Days", "GlacierJobParameters", "Tier", "Description"]);

const parser = s3XmlParser({ processEntities: false });

function refuse(reason: string): RestoreRequestCheck {
  return { action: "refuse", refuseCode: "NotImplemented", reason: `RestoreObject: ${reason}` };
}

/** Checks a RestoreObject request body (already de-framed: no aws-chunked encoding). */
export function checkRestoreRequest(body: string): RestoreRequestCheck {
  if (body.trim().length === 0) return { action: "forward" };
  if (Buffer.byteLength(body) > MAX_RESTORE_REQUEST_BYTES) return refuse("request body too large to check");
  if (/<!DOCTYPE/i.test(body)) return refuse("a DOCTYPE is not allowed in the request body");
  if (XMLValidator.validate(body) !== true) return refuse("request body is not well-formed XML");
  let doc: unknown;
  try {
    doc = parser.parse(body);
  } catch {
    return refuse("request body is not well-formed XML");
  }
  if (typeof doc !== "object" || doc === null) return refuse("request body is not a RestoreRequest");
  const roots = Object.keys(doc);
  if (roots.length !== 1 || roots[0] !== "RestoreRequest")
    return refuse("request body is not a RestoreRequest");
  const request: unknown = (doc as Record<string, unknown>)["RestoreRequest"];
  if (request === "") return { action: "forward" };
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return refuse("request body is not a single RestoreRequest");
  }
  const unexpected = Object.keys(request).filter((k) => !PLAIN_RESTORE_CHILDREN.has(k));
  if (unexpected.length > 0) {
    return refuse(
      `<${unexpected.join(">, <")}> is not part of a plain restore (SELECT restores are refused)`,
    );
  }
  return { action: "forward" };
}
