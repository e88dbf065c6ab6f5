/**
 * GetObjectAttributes (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html) through the
 * pipeline. Its answer describes the stored object (size, ETag, checksums, part sizes) and carries no metadata,
 * so the proxy cannot tell from it whether the object is encrypted; it HEADs the object (cached like a listed
 * object, src/listing/objectFactsCache.ts, whatever `--list-sizes` says: one object costs at most one HEAD) and
 * shows the plaintext view (src/listing/objectAttributesXml.ts).
 *
 * To know which stored content the answer describes, the proxy always asks S3 for ETag and ObjectSize
 * (x-amz-object-attributes is re-signed) and removes them again if the client did not ask; the HEAD, of the same
 * version when S3 names one, must find the same ETag and size, else the object changed in between and the
 * client gets ProxyObjectChanged (503, retried by SDKs) rather than a mixed answer.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { rawHeader, type RawHeaders } from "../http/hopByHop.ts";
import type { ObjectFacts } from "../listing/objectFacts.ts";
import type { ObjectFactsCache } from "../listing/objectFactsCache.ts";
import { plaintextSizeOf } from "../listing/entryChanges.ts";
import {
  readObjectAttributes,
  rewriteObjectAttributes,
  type SelfRequestedAttribute,
} from "../listing/objectAttributesXml.ts";
import { RECORD_OVERHEAD } from "../crypto/index.ts";
import type { S3Endpoint } from "../s3/S3Endpoint.ts";
import { uriEncode } from "../sigv4/uriEncode.ts";
import { toPipelineError } from "./encryptErrors.ts";
import type { Exchange } from "./Exchange.ts";
import { factsScope, headListedObject } from "./headListedObject.ts";
import { documentReadHeaders, fetchDocumentToRewrite } from "./rewrittenDocument.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { splitTarget } from "./s3StepHeaders.ts";

const ATTRIBUTES_HEADER = "x-amz-object-attributes";
/**
 * At most 1,000 parts per answer (x-amz-max-parts), a few hundred KB. An S3 that does not implement
 * GetObjectAttributes and answers `?attributes` with the object itself (Ceph radosgw 16) is cut off here, and its
 * answer refused as not a GetObjectAttributesResponse either way (ProxyUpstreamFailed).
 */
const MAX_ATTRIBUTES_BYTES = 4 * 1024 * 1024;
const SELF_REQUESTED: readonly SelfRequestedAttribute[] = ["ETag", "ObjectSize"];

/** The attributes the client asked for (a comma-separated list, possibly over several header lines). */
export function requestedAttributes(raw: RawHeaders): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] ?? "").toLowerCase() !== ATTRIBUTES_HEADER) continue;
    for (const name of (raw[i + 1] ?? "").split(",")) if (name.trim() !== "") out.push(name.trim());
  }
  return out;
}

/** `raw` with x-amz-object-attributes replaced by `names`. */
function withAttributes(raw: RawHeaders, names: readonly string[]): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] ?? "").toLowerCase() !== ATTRIBUTES_HEADER) out.push(raw[i] ?? "", raw[i + 1] ?? "");
  }
  out.push("X-Amz-Object-Attributes", names.join(","));
  return out;
}

function changed(): ProxyError {
  return new ProxyError("ProxyObjectChanged", "The object changed while its attributes were read; retry.");
}

export async function getObjectAttributes(
  ex: Exchange,
  deps: S3StepDeps,
  endpoint: Pick<S3Endpoint, "region" | "bucket" | "key" | "query">,
  cache: ObjectFactsCache,
): Promise<void> {
  const requested = requestedAttributes(ex.req.rawHeaders);
  const drop = new Set(SELF_REQUESTED.filter((a) => !requested.includes(a)));
  const doc = await fetchDocumentToRewrite(ex, deps, {
    region: endpoint.region,
    headers: withAttributes(documentReadHeaders(ex.req.rawHeaders), [...requested, ...drop]),
    limit: MAX_ATTRIBUTES_BYTES,
  });
  if (doc === undefined) return;
  const xml = doc.xml;
  const stored = readObjectAttributes(xml);
  const key = endpoint.key;
  if (stored.etag === undefined || stored.objectSize === undefined || key === undefined) {
    throw new ProxyError(
      "ProxyUpstreamFailed",
      "The upstream answered GetObjectAttributes without ETag or size.",
    );
  }
  const versionId =
    endpoint.query.find(([name]) => name === "versionId")?.[1] ??
    rawHeader(doc.rawHeaders, "x-amz-version-id");
  const facts = await factsOf(ex, deps, endpoint, cache, {
    key,
    versionId,
    etag: stored.etag,
    size: stored.objectSize,
  });
  if (!facts.encrypted) {
    doc.send(rewriteObjectAttributes(xml, { drop }));
  } else {
    const e = facts.segmentExponent;
    const objectSize = plaintextSizeOf(stored.objectSize, e);
    if (objectSize === undefined) {
      throw new ProxyError(
        "ProxyDecryptFailed",
        "The stored object does not have the size of an encrypted one.",
      );
    }
    const partSize = (part: number): number | undefined => plaintextSizeOf(part, e);
    doc.send(rewriteObjectAttributes(xml, { drop, encrypted: { objectSize, etag: facts.etag, partSize } }));
  }
}

async function factsOf(
  ex: Exchange,
  deps: S3StepDeps,
  endpoint: Pick<S3Endpoint, "region" | "bucket">,
  cache: ObjectFactsCache,
  object: { key: string; versionId: string | undefined; etag: string; size: number },
): Promise<ObjectFacts> {
  // Shorter than one record: cannot be ciphertext (docs/FORMAT.md §6).
  if (object.size < RECORD_OVERHEAD) return { encrypted: false };
  const path = splitTarget(ex.path).path;
  const target = object.versionId === undefined ? path : `${path}?versionId=${uriEncode(object.versionId)}`;
  const scope = factsScope(ex, endpoint.bucket);
  const head = headListedObject(ex, deps, endpoint.region, () => target);
  const { resolutions } = await cache.resolve(scope, [object], head, 1);
  const r = resolutions[0];
  if (r?.kind === "known") return r.facts;
  if (r?.kind === "unavailable") {
    if (r.cause !== undefined) throw toPipelineError(r.cause, true);
    if (r.status === 404) throw changed();
    throw new ProxyError("ProxyUpstreamFailed", `The upstream answered the object's HEAD with ${r.status}.`);
  }
  throw changed();
}
