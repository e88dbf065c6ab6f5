/**
 * Which plaintext bytes a ranged read of an encrypted object answers with, and how, once the stored object is
 * known: S3's rules applied to the plaintext, which is what the client sees as the object.
 *
 * - Range: resolveByteRange.ts against the plaintext length; a Range whose If-Range validator failed is
 *   ignored (RFC 9110 §13.1.5: "send me the entire representation").
 * - partNumber on a single-part object: S3 treats the object as one part; part 1 is the whole object as a 206
 *   with a Content-Range and no x-amz-mp-parts-count, any other part is 416 `InvalidPartNumber` ("The requested
 *   partnumber is not satisfiable").
 * - partNumber on a multipart-layout object: the plaintext span of logical part N (FORMAT §9 `partSpan`), which
 *   is the uploaded part N for every object the proxy completed, with `x-amz-mp-parts-count` = the logical part
 *   count ceil(G / K). S3's own part list is never consulted (FORMAT §9: a server-side copy may re-chunk the
 *   object), so the count and the spans always describe the same parts.
 *
 * A Content-Range cannot describe zero bytes (RFC 9110 §14.4), so an empty answer (the empty object, an empty
 * last part) is a 200 with Content-Length 0, as S3 answers a suffix range of an empty object.
 */
import {
  isCryptoError,
  partSpan,
  plaintextLength,
  recordCount,
  type Layout,
  type PartSpan,
} from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import { formatUnsatisfiedRange } from "../http/contentRange.ts";
import { resolveByteRange } from "../http/resolveByteRange.ts";
import type { RangedRead } from "./rangedRead.ts";

export interface StoredObject {
  readonly ciphertextLength: number;
  readonly segmentExponent: number;
  readonly layout: Layout;
  /** Multipart: records per part K (record 0's count). Required for partNumber reads of multipart objects. */
  readonly partSegments: number | undefined;
}

export interface ReadTarget {
  /** 206 with a Content-Range; false: 200 with the bytes as a complete representation. */
  readonly partial: boolean;
  /** Plaintext bytes [start, end) of the object's `total`. */
  readonly start: number;
  readonly end: number;
  readonly total: number;
  /** x-amz-mp-parts-count for partNumber reads of multipart objects. */
  readonly partsCount: number | undefined;
}

function invalidPart(cause?: unknown): ProxyError {
  return new ProxyError("InvalidPartNumber", "The requested partnumber is not satisfiable", { cause });
}

/**
 * The target of a Range read, or of a partNumber read of an object stored as one part, given the plaintext
 * length `total` (format v1 single-part objects, and Constellation objects: src/pipeline/legacyObjectRead.ts).
 */
export function singlePartReadTarget(read: RangedRead, total: number, ifRangeFailed: boolean): ReadTarget {
  const whole: ReadTarget = { partial: false, start: 0, end: total, total, partsCount: undefined };
  if (read.kind === "range") {
    if (ifRangeFailed) return whole;
    const resolved = resolveByteRange(read.spec, total);
    if (resolved.kind === "whole") return whole;
    if (resolved.kind === "unsatisfiable") {
      throw new ProxyError("InvalidRange", "The requested range is not satisfiable", {
        headers: { "Content-Range": formatUnsatisfiedRange(total) },
      });
    }
    return { partial: true, start: resolved.start, end: resolved.end, total, partsCount: undefined };
  }
  if (read.partNumber !== 1) throw invalidPart();
  return { ...whole, partial: total > 0 };
}

export function readTargetFor(read: RangedRead, object: StoredObject, ifRangeFailed: boolean): ReadTarget {
  const e = object.segmentExponent;
  const c = object.ciphertextLength;
  const total = plaintextLength(c, e);
  if (read.kind === "range" || object.layout === "single")
    return singlePartReadTarget(read, total, ifRangeFailed);
  const k = object.partSegments;
  if (k === undefined) throw new TypeError("a multipart partNumber read needs the records per part");
  let span: PartSpan;
  try {
    span = partSpan(c, e, k, read.partNumber);
  } catch (err) {
    if (isCryptoError(err) && err.code === "PartNumberInvalid") throw invalidPart(err);
    throw err;
  }
  const partsCount = Math.floor((recordCount(c, e) - 1) / k) + 1;
  const start = span.plaintextStart;
  const end = start + span.plaintextLength;
  return { partial: end > start, start, end, total, partsCount };
}
