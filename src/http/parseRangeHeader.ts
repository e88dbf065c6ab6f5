/**
 * Reads a `Range` request header the way S3 does: one byte range (RFC 9110 §14.1.2) or nothing.
 *
 * S3 serves a single range per GetObject ("Amazon S3 doesn't support retrieving multiple ranges of data per GET
 * request", API_GetObject) and uses the latitude RFC 9110 §14.2 gives a server ("A server MAY ignore the Range
 * header field"): a list of ranges, another unit or a malformed spec gets the whole object with 200, not an
 * error. Observed on AWS: `bytes=0-499,500-502` answers 200 with the full length (awslabs/aws-c-s3#257), and
 * LocalStack's AWS-validated range tests record the same for `0-1`, `bytes=-`, `bytes=1-0` and `bytes=0--1`.
 * So the result here is one usable range or `undefined` ("as if there were no Range"); whether it is
 * satisfiable depends on the object's size and is resolveByteRange.ts's question.
 *
 * A spec whose last position is below its first is invalid (RFC 9110 §14.1.1) and ignored like any other
 * invalid spec. Positions beyond 2^53 are clamped to Number.MAX_SAFE_INTEGER, which keeps their meaning for
 * every object that can exist (a first position that large is past the end, a last one is clamped anyway).
 */

/** `bytes=first-last` / `bytes=first-` (last undefined), or the suffix form `bytes=-length`. */
export type ByteRangeSpec =
  | { readonly kind: "from"; readonly first: number; readonly last: number | undefined }
  | { readonly kind: "suffix"; readonly length: number };

// The range unit is case-insensitive (RFC 9110 §14.1); no whitespace belongs inside a single range-spec.
const SINGLE_RANGE = /^bytes=(?:([0-9]+)-([0-9]*)|-([0-9]+))$/i;

function position(digits: string): number {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** The single byte range a Range header asks for, or undefined when S3 would ignore the header. */
export function parseRangeHeader(value: string | undefined): ByteRangeSpec | undefined {
  if (value === undefined) return undefined;
  const m = SINGLE_RANGE.exec(value.trim());
  if (m === null) return undefined;
  const [, first, last, suffix] = m;
  if (suffix !== undefined) return { kind: "suffix", length: position(suffix) };
  if (first === undefined) return undefined;
  const from = position(first);
  if (last === undefined || last === "") return { kind: "from", first: from, last: undefined };
  const to = position(last);
  return to < from ? undefined : { kind: "from", first: from, last: to };
}
