/**
 * Applies a parsed byte range to a representation of known size, with S3's answers (RFC 9110 §14.1.2 plus the
 * places where S3 is observed to differ):
 *
 * - a first position at or past the end, or a zero-length suffix (`bytes=-0`), is unsatisfiable: 416
 *   `InvalidRange` (RFC 9110 §15.5.17; S3's `InvalidRange`, "The requested range is not satisfiable");
 * - a last position past the end is clamped to the last byte, a suffix longer than the representation selects
 *   all of it (§14.1.2) — still a 206 with a Content-Range, as S3 answers any valid range;
 * - a suffix range of an empty object is answered by S3 with 200 and the empty body (apache/arrow-rs-object-store
 *   #846, Trino's S3 tail reads), where the RFC would call it unsatisfiable: "whole" here.
 */
import type { ByteRangeSpec } from "./parseRangeHeader.ts";

export type ResolvedRange =
  /** 206: bytes [start, end) of the representation, end exclusive, start < end. */
  | { readonly kind: "partial"; readonly start: number; readonly end: number }
  /** 200 with the whole representation, as if no Range had been sent. */
  | { readonly kind: "whole" }
  /** 416 with `Content-Range: bytes *\/<size>`. */
  | { readonly kind: "unsatisfiable" };

export function resolveByteRange(spec: ByteRangeSpec, size: number): ResolvedRange {
  if (spec.kind === "suffix") {
    if (spec.length === 0) return { kind: "unsatisfiable" };
    if (size === 0) return { kind: "whole" };
    return { kind: "partial", start: Math.max(0, size - spec.length), end: size };
  }
  if (spec.first >= size) return { kind: "unsatisfiable" };
  const end = spec.last === undefined ? size : Math.min(spec.last + 1, size);
  return { kind: "partial", start: spec.first, end };
}
