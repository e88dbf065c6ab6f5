/**
 * Range and partNumber reads (GetObject, HeadObject) through the encryption pipeline. The client addresses the
 * plaintext; S3 stores records (docs/FORMAT.md §5-7), and which ciphertext bytes hold plaintext [a, b] depends on
 * the object's length (the suffix form, the end of the object), segment size and layout, which only the object
 * itself can tell. So the first upstream request (the probe, probeRange.ts) is aimed from the Range alone, and
 * its answer — envelope metadata, ETag, and the stored length C in `Content-Range: bytes x-y/C` — settles the
 * rest:
 *
 *   probe GET (ciphertext Range) ─► not ours? → the client's own request, pinned, passed through
 *                                └► ours: plaintext length from C → 206 / 200 / 416 (readTarget.ts)
 *                                         K from record 0 if needed (multipart) ─► decrypt the needed records,
 *                                         from the probe and pinned follow-ups (stitchPlan.ts)
 *
 * Upstream requests per read (each follow-up pinned with `If-Match: <stored ETag>`, pinnedRangeGet.ts):
 * - `bytes=a-b`, `bytes=a-` of a single-part object: 1, the probe, which fetches exactly the records the range
 *   touches (plus the final record when the range reaches the end, rangePlan.ts). Multipart: +1 for record 0 when
 *   the range starts past it, unless K is cached (partSegmentsCache.ts).
 * - `bytes=-n`: 1, or 2 when the suffix starts in the record before the probe's; at most one record fetched in
 *   vain (probeRange.ts).
 * - `?partNumber=N`: the probe reads record 0 (K for multipart objects); part 1 of a single-part object longer than
 *   one record and any multipart part take one more request for the rest.
 * - a legacy (plaintext) object: +1, the client's request as it came (Range, If-Range, partNumber), relayed as is.
 * - an object written by Constellation's s3proxy (x-amz-meta-constellation-dek): +1, one pinned GET of the whole
 *   stored object, authenticated in memory, the range served from it (legacyObjectRead.ts).
 * - a range starting past the stored end: the probe's 416 cannot say whether the object is ours, so one HEAD
 *   decides (416 with the plaintext length, or pass-through).
 * - HEAD: one HEAD (+1 ranged GET of record 0 for a multipart partNumber read without cached K).
 * The client's preconditions were planned before (conditionalRequest.ts): the probe carries their result, and
 * S3 answers 304/412 before it looks at a range, as for any GET.
 *
 * Every record the client gets bytes of is authenticated (createDecryptStream with the RangePlan); a record
 * that fails breaks the connection mid-body, never releasing wrong bytes.
 */
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import {
  createDecryptStream,
  partSegmentsFromFirstRecord,
  planRange,
  readEnvelopeMetadata,
  recordLength,
  type ObjectKeys,
} from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import { parseContentRange } from "../http/contentRange.ts";
import type { RawHeaders } from "../http/hopByHop.ts";
import { ifRangeHolds } from "../http/ifRangeHolds.ts";
import { hasConstellationMetadata } from "../legacy/index.ts";
import { encryptedObjectEtag } from "./clientEtag.ts";
import { toPipelineError } from "./encryptErrors.ts";
import type { Exchange } from "./Exchange.ts";
import { legacyRangedRead } from "./legacyObjectRead.ts";
import { openStoredObjectKeys } from "./openStoredObjectKeys.ts";
import type { PartSegmentsCache } from "./partSegmentsCache.ts";
import { objectChanged, pinnedHeaders, pinnedRangeGet, type PinnedObject } from "./pinnedRangeGet.ts";
import { probeRangeFor } from "./probeRange.ts";
import { withoutPartNumber, withoutRangeHeaders, type RangedRead } from "./rangedRead.ts";
import { rangedResponseHeaders } from "./rangedResponseHeaders.ts";
import { readTargetFor } from "./readTarget.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders, splitTarget } from "./s3StepHeaders.ts";
import { relayS3Exchange, type ResponsePlan } from "./s3StepRelay.ts";
import { openResignedRequest } from "./s3StepResign.ts";
import { stitchPlan, type ByteSpan } from "./stitchPlan.ts";
import { readUpstreamBody, releaseUpstreamBody } from "./upstreamBody.ts";
import { requestUpstream } from "./upstreamRequest.ts";
import { windowedSource, type SourcePart } from "./windowedSource.ts";

export interface RangedReadInput {
  method: "GET" | "HEAD";
  region: string | undefined;
  read: RangedRead;
  /** The upstream headers the plain read would send: the client's, preconditions already planned. */
  headers: RawHeaders;
  partSegments: PartSegmentsCache;
}

interface ReadContext extends RangedReadInput {
  ex: Exchange;
  deps: S3StepDeps;
  /** The headers without Range and If-Range: S3 must not apply those to ciphertext. */
  base: RawHeaders;
  /** The client's query without partNumber (part spans are the proxy's to compute), and as sent. */
  query: string;
  clientQuery: string;
}

/** Largest record (e = 20): more than this in a probe that should hold record 0 is not read into memory. */
const MAX_RECORD = 2 ** 20 + 32;
const RANGE_HEADERS: ReadonlySet<string> = new Set(["range", "if-range"]);

export async function getDecryptedRange(
  ex: Exchange,
  deps: S3StepDeps,
  input: RangedReadInput,
): Promise<void> {
  const clientQuery = splitTarget(ex.path).query;
  const query = splitTarget(withoutPartNumber(ex.path)).query;
  const ctx: ReadContext = {
    ...input,
    ex,
    deps,
    base: withoutRangeHeaders(input.headers),
    query,
    clientQuery,
  };
  const probe = await openResignedRequest(ex, deps, {
    method: input.method,
    region: input.region,
    headers: input.method === "GET" ? [...ctx.base, "Range", probeRangeFor(input.read)] : ctx.base,
    query,
  });
  await relayS3Exchange({
    upstream: probe,
    res: ex.res,
    body: undefined,
    onResponse: (res) => answer(ctx, res),
    mapError: (err) => toPipelineError(err, true),
  });
}

/** The probe's bytes (or the bytes read from it), at their place in the stored object. */
interface ProbeBody {
  span: ByteSpan;
  source: IncomingMessage | Buffer;
}

async function answer(ctx: ReadContext, probe: IncomingMessage): Promise<ResponsePlan> {
  let head = probe;
  if (probe.statusCode === 416 && ctx.method === "GET") {
    // The probe starts past the stored end. Whether that is the plaintext's 416 or a legacy object's bytes
    // depends on metadata a 416 does not carry: ask with a HEAD.
    releaseUpstreamBody(probe, 0);
    head = await requestUpstream(ctx.ex, ctx.deps, {
      method: "HEAD",
      region: ctx.region,
      headers: ctx.base,
      query: ctx.query,
    });
    head.resume();
    if (head.statusCode !== 200)
      throw objectChanged(new Error(`HEAD after a 416 answered ${head.statusCode}`));
  }
  const status = head.statusCode ?? 502;
  // 304, 412, 404, 403, …: S3's answer to the read, relayed as for a whole-object read.
  if (status !== 200 && status !== 206)
    return { headers: clientResponseHeaders(probe.rawHeaders), transforms: [] };
  const envelope = readEnvelopeMetadata(head.headers);
  if (envelope === null && hasConstellationMetadata(head.headers)) {
    return legacyRangedRead({ ...ctx, headers: ctx.base, probe, head });
  }
  if (envelope === null) return passThrough(ctx, probe, head);
  const etag = head.headers.etag;
  if (etag === undefined) {
    throw new ProxyError("ProxyUpstreamFailed", "The upstream answered an encrypted object without an ETag.");
  }
  const extent = storedExtent(head, ctx.method === "GET" && head === probe);
  const object: PinnedObject = {
    ex: ctx.ex,
    deps: ctx.deps,
    region: ctx.region,
    headers: ctx.base,
    query: ctx.query,
    etag,
    ciphertextLength: extent.length,
  };
  const keys = await openStoredObjectKeys(ctx.deps.keys, envelope);
  const clientEtag = encryptedObjectEtag(etag, envelope, keys);
  const { segmentExponent: e, layout } = envelope.header;
  let probeBody: ProbeBody | undefined = extent.coverage && { span: extent.coverage, source: probe };

  let k = layout === "multipart" ? ctx.partSegments.get(envelope.header) : undefined;
  if (layout === "multipart" && k === undefined && ctx.read.kind === "part") {
    ({ k, probeBody } = await learnPartSegments(ctx, object, keys, probeBody));
  }
  const ifRange = ctx.ex.req.headers["if-range"];
  const ifRangeFailed =
    ctx.method === "GET" &&
    ctx.read.kind === "range" &&
    ifRange !== undefined &&
    // A repeated If-Range is no valid validator: the whole object is the safe answer.
    (typeof ifRange !== "string" ||
      !ifRangeHolds(ifRange, { etag: clientEtag, lastModified: head.headers["last-modified"] }));
  const stored = { ciphertextLength: extent.length, segmentExponent: e, layout, partSegments: k };
  const target = readTargetFor(ctx.read, stored, ifRangeFailed);
  const plan: ResponsePlan = {
    status: target.partial ? 206 : 200,
    headers: rangedResponseHeaders(head.rawHeaders, target, clientEtag),
    transforms: [],
  };
  if (ctx.method === "HEAD") return plan;

  if (target.start === target.end && target.total > 0) {
    // An empty part: no record holds its (zero) bytes, nothing to fetch or release.
    if (probeBody?.source instanceof Readable)
      releaseUpstreamBody(probeBody.source, spanLength(probeBody.span));
    return { ...plan, body: Readable.from([]) };
  }
  const whole = target.start === 0 && target.end === target.total;
  const range = planRange({
    segmentExponent: e,
    ciphertextLength: extent.length,
    ...(whole ? {} : { start: target.start, end: target.end }),
  });
  if (layout === "multipart" && k === undefined && range.firstRecord > 0) {
    ({ k, probeBody } = await learnPartSegments(ctx, object, keys, probeBody));
  }
  const decrypt = createDecryptStream({ keys, plan: range, ...(k === undefined ? {} : { partSegments: k }) });
  const body = await ciphertextBody(object, { start: range.cipherStart, end: range.cipherEnd }, probeBody);
  return { ...plan, transforms: [decrypt], ...(body === undefined ? {} : { body }) };
}

/** Not an encrypted object: the client's request goes upstream as it came, pinned to what the probe saw. */
async function passThrough(
  ctx: ReadContext,
  probe: IncomingMessage,
  head: IncomingMessage,
): Promise<ResponsePlan> {
  // A HEAD answer has no body whatever its Content-Length says (RFC 9110 §9.3.2).
  const pending = ctx.method === "HEAD" ? 0 : Number(probe.headers["content-length"] ?? Infinity);
  releaseUpstreamBody(probe, pending);
  const etag = head.headers.etag;
  const res = await requestUpstream(ctx.ex, ctx.deps, {
    method: ctx.method,
    region: ctx.region,
    headers: etag === undefined ? ctx.headers : pinnedHeadersKeepingRange(ctx.headers, etag),
    query: ctx.clientQuery,
  });
  if (res.statusCode === 412 && etag !== undefined) {
    releaseUpstreamBody(res, 0);
    throw objectChanged(new Error("pass-through GET answered 412"));
  }
  return {
    status: res.statusCode ?? 502,
    headers: clientResponseHeaders(res.rawHeaders),
    transforms: [],
    body: res,
  };
}

/** pinnedHeaders, but the client's Range and If-Range stay: S3 applies them to a plaintext object itself. */
function pinnedHeadersKeepingRange(headers: RawHeaders, etag: string): RawHeaders {
  const kept: RawHeaders = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (RANGE_HEADERS.has((headers[i] ?? "").toLowerCase()))
      kept.push(headers[i] ?? "", headers[i + 1] ?? "");
  }
  return [...pinnedHeaders(headers, etag), ...kept];
}

/** The stored length, and which of its bytes the response body carries (GET probes only). */
function storedExtent(
  res: IncomingMessage,
  hasBody: boolean,
): { length: number; coverage: ByteSpan | undefined } {
  if (res.statusCode === 206) {
    const got = parseContentRange(res.headers["content-range"]);
    if (got === undefined) {
      throw new ProxyError(
        "ProxyUpstreamFailed",
        "The upstream answered a ranged GET without a Content-Range.",
      );
    }
    return { length: got.complete, coverage: hasBody ? { start: got.start, end: got.end } : undefined };
  }
  const length = res.headers["content-length"];
  if (length === undefined || !/^[0-9]{1,16}$/.test(length)) {
    throw new ProxyError(
      "ProxyUpstreamFailed",
      "The upstream answered an encrypted object without a length.",
    );
  }
  return { length: Number(length), coverage: hasBody ? { start: 0, end: Number(length) } : undefined };
}

const spanLength = (span: ByteSpan): number => span.end - span.start;

/**
 * A multipart object's records per part K, from its authenticated record 0 (FORMAT §9): read from the probe
 * when the probe is record 0 (partNumber reads), else fetched with one pinned ranged GET. Cached by envelope.
 */
async function learnPartSegments(
  ctx: ReadContext,
  object: PinnedObject,
  keys: ObjectKeys,
  probeBody: ProbeBody | undefined,
): Promise<{ k: number; probeBody: ProbeBody | undefined }> {
  const c = object.ciphertextLength;
  const first = recordLength(0, c, keys.header.segmentExponent);
  let record0: Buffer;
  if (
    probeBody !== undefined &&
    probeBody.span.start === 0 &&
    probeBody.span.end >= first &&
    spanLength(probeBody.span) <= MAX_RECORD
  ) {
    const bytes = Buffer.isBuffer(probeBody.source)
      ? probeBody.source
      : await readUpstreamBody(probeBody.source, spanLength(probeBody.span));
    probeBody = { span: probeBody.span, source: bytes };
    record0 = bytes.subarray(0, first);
  } else {
    record0 = await readUpstreamBody(await pinnedRangeGet(object, { start: 0, end: first }), first);
  }
  const k = partSegmentsFromFirstRecord(keys, record0, c);
  ctx.partSegments.set(keys.header, k);
  return { k, probeBody };
}

/**
 * The stream of ciphertext bytes `needed`, from the probe and pinned follow-ups; undefined when the probe
 * response is exactly those bytes (relayS3Exchange then pipes it as it is).
 */
async function ciphertextBody(
  object: PinnedObject,
  needed: ByteSpan,
  probeBody: ProbeBody | undefined,
): Promise<Readable | undefined> {
  const stitch = stitchPlan(needed, probeBody?.span);
  if (stitch.kind === "fetch" || probeBody === undefined) {
    if (probeBody?.source instanceof Readable)
      releaseUpstreamBody(probeBody.source, spanLength(probeBody.span));
    return pinnedRangeGet(object, needed);
  }
  const exact = probeBody.span.start === needed.start && probeBody.span.end === needed.end;
  if (exact && !Buffer.isBuffer(probeBody.source)) return undefined;
  const parts: SourcePart[] = [];
  if (stitch.prefix !== undefined) {
    parts.push({ span: stitch.prefix, source: await pinnedRangeGet(object, stitch.prefix) });
  }
  parts.push(probeBody);
  const suffix = stitch.suffix;
  if (suffix !== undefined) parts.push({ span: suffix, source: () => pinnedRangeGet(object, suffix) });
  return windowedSource(parts, needed);
}
