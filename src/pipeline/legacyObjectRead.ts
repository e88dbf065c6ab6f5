/**
 * GetObject and HeadObject of an object written by Constellation's Go s3proxy (docs/LEGACY.md): recognised by
 * its `x-amz-meta-constellation-dek`, it is never relayed as stored (that would hand ciphertext to the client as
 * if it were the object). Without a legacy KEK that opens it the answer is an S3 error (legacyProxyError.ts).
 *
 * With one, the DEK is unwrapped first (a wrong or missing KEK fails before anything is downloaded), then:
 * - HEAD: the plaintext length is the stored length minus the fixed 28 bytes (nonce + tag); nothing is read;
 * - GET: the whole stored object is read into memory (at most --legacy-max-size, under the shared memory
 *   budget), authenticated as the one AES-GCM-SIV message it is, and only then sent. This path does not
 *   stream: GCM-SIV's tag covers the whole plaintext and doubles as the CTR IV, so no byte is authentic
 *   before the last one is in (RFC 8452 §4-5). The Go proxy buffered whole objects too (object.go ReadAll).
 * - Range and partNumber reads: the same whole-object read (pinned to the ETag the probe saw), the range then
 *   served from the verified plaintext; a legacy object is always "one part".
 *
 * The client sees the plaintext length, the stored ETag (as the Go proxy showed it) and no Constellation
 * metadata. Opening an object with the all-zero KEK (--legacy-allow-zero-kek) is logged loudly, per object.
 */
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { ProxyError } from "../errors/ProxyError.ts";
import { parseContentRange } from "../http/contentRange.ts";
import type { RawHeaders } from "../http/hopByHop.ts";
import { ifRangeHolds } from "../http/ifRangeHolds.ts";
import {
  CONSTELLATION_DEK_META,
  constellationPlaintextLength,
  LegacyError,
  NO_LEGACY_KEYS,
  openConstellationBody,
  readConstellationEnvelope,
  unwrapConstellationDek,
  type UnwrappedDek,
} from "../legacy/index.ts";
import type { Exchange } from "./Exchange.ts";
import { pinnedRangeGet } from "./pinnedRangeGet.ts";
import type { RangedRead } from "./rangedRead.ts";
import { rangedResponseHeaders } from "./rangedResponseHeaders.ts";
import { singlePartReadTarget } from "./readTarget.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders } from "./s3StepHeaders.ts";
import type { ResponsePlan } from "./s3StepRelay.ts";
import { readUpstreamBody, releaseUpstreamBody } from "./upstreamBody.ts";

const DECIMAL = /^[0-9]{1,16}$/;

/** The stored object's headers without the Constellation marker. */
function withoutMarker(raw: RawHeaders): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] ?? "").toLowerCase() !== CONSTELLATION_DEK_META) out.push(raw[i] ?? "", raw[i + 1] ?? "");
  }
  return out;
}

/** The complete stored length from a 200 (Content-Length) or 206 (Content-Range) answer. */
function storedLengthOf(res: IncomingMessage): number {
  if (res.statusCode === 206) {
    const range = parseContentRange(res.headers["content-range"]);
    if (range !== undefined) return range.complete;
  } else {
    const length = res.headers["content-length"];
    if (length !== undefined && DECIMAL.test(length)) return Number(length);
  }
  throw new ProxyError("ProxyUpstreamFailed", "The upstream answered a legacy object without its length.");
}

function plaintextLengthOf(stored: number): number {
  const length = constellationPlaintextLength(stored);
  if (length === undefined) {
    throw new LegacyError("LegacyDecryptFailed", `a stored length of ${stored} cannot hold nonce and tag`);
  }
  return length;
}

/** Unwraps the DEK (before any download) and warns when the all-zero KEK did it. */
function unwrapFor(ex: Exchange, deps: S3StepDeps, head: IncomingMessage): UnwrappedDek {
  const envelope = readConstellationEnvelope(head.headers);
  if (envelope === null) throw new TypeError("not a Constellation object");
  const unwrapped = unwrapConstellationDek(envelope, deps.legacy?.keys ?? NO_LEGACY_KEYS);
  if (unwrapped.kekUsed === "zero") {
    ex.log.warn(
      { object: ex.path, legacyKek: "all-zero" },
      "LEGACY OBJECT OPENED WITH THE ALL-ZERO KEK (--legacy-allow-zero-kek): it was protected by no secret; " +
        "re-encrypt it with `s3proxy migrate`",
    );
  }
  return unwrapped;
}

/**
 * Reads `body` (the whole stored object, `stored` bytes) under the memory budget and authenticates it. The
 * returned stream holds the plaintext [start, end) and gives the budget back when it closes.
 */
async function verifiedPlaintext(
  deps: S3StepDeps,
  dek: Buffer,
  stored: number,
  fetch: () => Promise<IncomingMessage>,
  slice: (plaintext: Buffer) => Buffer,
): Promise<Readable> {
  const legacy = deps.legacy;
  if (legacy === undefined) throw new TypeError("a legacy DEK was unwrapped without a legacy reader");
  if (stored > legacy.maxObjectBytes) {
    throw new LegacyError(
      "LegacyTooLarge",
      `the object is ${stored} bytes, more than --legacy-max-size (${legacy.maxObjectBytes})`,
    );
  }
  const release = await legacy.memory.acquire(stored);
  try {
    const body = await readUpstreamBody(await fetch(), stored);
    if (body.byteLength !== stored) {
      throw new ProxyError("ProxyUpstreamFailed", `The upstream sent ${body.byteLength} of ${stored} bytes.`);
    }
    const plaintext = await openConstellationBody(body, dek);
    const out = Readable.from([slice(plaintext)]);
    // Not zeroed on close: the socket may still be writing from this very buffer (writes do not copy).
    out.once("close", release);
    return out;
  } catch (err) {
    release();
    throw err;
  }
}

/** A whole-object GET or HEAD whose 200 answer `upRes` carries the Constellation marker. */
export async function openLegacyObject(
  ex: Exchange,
  deps: S3StepDeps,
  upRes: IncomingMessage,
  method: "GET" | "HEAD",
): Promise<ResponsePlan> {
  const stored = storedLengthOf(upRes);
  const pending = method === "GET" ? stored : 0;
  let unwrapped: UnwrappedDek;
  try {
    unwrapped = unwrapFor(ex, deps, upRes);
  } catch (err) {
    releaseUpstreamBody(upRes, pending);
    throw err;
  }
  const { dek } = unwrapped;
  try {
    const headers = clientResponseHeaders(withoutMarker(upRes.rawHeaders), {
      length: plaintextLengthOf(stored),
    });
    if (method === "HEAD") {
      upRes.resume();
      return { headers, transforms: [] };
    }
    const body = await verifiedPlaintext(
      deps,
      dek,
      stored,
      () => Promise.resolve(upRes),
      (p) => p,
    );
    return { headers, transforms: [], body };
  } catch (err) {
    if (!upRes.readableEnded) releaseUpstreamBody(upRes, pending);
    throw err;
  } finally {
    dek.fill(0);
  }
}

export interface LegacyRangedReadInput {
  ex: Exchange;
  deps: S3StepDeps;
  region: string | undefined;
  method: "GET" | "HEAD";
  read: RangedRead;
  /** The read's upstream headers without Range and If-Range; the pinned GET replaces their conditions. */
  headers: RawHeaders;
  query: string;
  /** The first upstream answer (a ranged GET or a HEAD) and the one describing the object (itself, or a HEAD). */
  probe: IncomingMessage;
  head: IncomingMessage;
}

/** A Range or partNumber read of a Constellation object (objectRangeStep.ts found the marker). */
export async function legacyRangedRead(input: LegacyRangedReadInput): Promise<ResponsePlan> {
  const { ex, deps, method, read, probe, head } = input;
  const stored = storedLengthOf(head);
  // A HEAD answer has no body whatever its Content-Length says; the probe's bytes are not the whole object.
  releaseUpstreamBody(probe, method === "HEAD" ? 0 : Number(probe.headers["content-length"] ?? Infinity));
  const etag = head.headers.etag;
  if (etag === undefined) {
    throw new ProxyError("ProxyUpstreamFailed", "The upstream answered a legacy object without an ETag.");
  }
  const { dek } = unwrapFor(ex, deps, head);
  try {
    const total = plaintextLengthOf(stored);
    const ifRange = ex.req.headers["if-range"];
    const ifRangeFailed =
      method === "GET" &&
      read.kind === "range" &&
      ifRange !== undefined &&
      (typeof ifRange !== "string" ||
        !ifRangeHolds(ifRange, { etag, lastModified: head.headers["last-modified"] }));
    const target = singlePartReadTarget(read, total, ifRangeFailed);
    const plan: ResponsePlan = {
      status: target.partial ? 206 : 200,
      headers: rangedResponseHeaders(withoutMarker(head.rawHeaders), target, undefined),
      transforms: [],
    };
    if (method === "HEAD") return plan;
    const object = { ...input, etag, ciphertextLength: stored };
    const body = await verifiedPlaintext(
      deps,
      dek,
      stored,
      () => pinnedRangeGet(object, { start: 0, end: stored }),
      (plaintext) => plaintext.subarray(target.start, target.end),
    );
    return { ...plan, body };
  } finally {
    dek.fill(0);
  }
}
