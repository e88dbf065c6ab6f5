/**
 * The `Content-Range` response header of a single-part byte-range response (RFC 9110 §14.4):
 * `bytes first-last/complete` on a 206, `bytes *\/complete` on a 416. Formatting works on half-open ranges
 * [start, end) as the rest of the proxy does; parsing reads what an upstream S3 sends back for a ranged GET.
 */

export interface ContentRange {
  /** First byte of the body in the complete representation. */
  readonly start: number;
  /** One past the last byte of the body (exclusive). */
  readonly end: number;
  /** Length of the complete representation. */
  readonly complete: number;
}

/** `bytes <start>-<end - 1>/<complete>` for bytes [start, end), which must not be empty. */
export function formatContentRange(start: number, end: number, complete: number): string {
  if (!(start < end && end <= complete)) throw new RangeError(`bad range [${start}, ${end}) of ${complete}`);
  return `bytes ${start}-${end - 1}/${complete}`;
}

/** `bytes *\/<complete>`: what a 416 carries (RFC 9110 §15.5.17). */
export function formatUnsatisfiedRange(complete: number): string {
  return `bytes */${complete}`;
}

const SATISFIED = /^bytes ([0-9]{1,16})-([0-9]{1,16})\/([0-9]{1,16})$/i;

/** A satisfied `bytes first-last/complete` with first <= last < complete, or undefined for anything else. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  const m = value === undefined ? null : SATISFIED.exec(value.trim());
  if (m === null) return undefined;
  const first = Number(m[1]);
  const last = Number(m[2]);
  const complete = Number(m[3]);
  if (first > last || last >= complete) return undefined;
  return { start: first, end: last + 1, complete };
}
