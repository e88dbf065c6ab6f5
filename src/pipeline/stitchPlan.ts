/**
 * How the ciphertext a ranged read needs is assembled from the probe (probeRange.ts) and pinned follow-up
 * requests. The probe was aimed before the object was known, so its bytes may be exactly the needed span
 * (the common case: one upstream request in all), overlap it with a shortfall at either end (a suffix range,
 * part 1 of a larger object, a segment size other than 64 KiB), or miss it (a multipart part N > 1, whose
 * probe only served to read record 0). Overlapping probe bytes are always used, and only the missing bytes are
 * fetched, so nothing is fetched twice; bytes of the probe outside the needed span are skipped.
 */

/** Ciphertext bytes [start, end) of the stored object. */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

export type StitchPlan =
  /** Use the probe's bytes, preceded by `prefix` and followed by `suffix` where it falls short. */
  | { readonly kind: "probe"; readonly prefix: ByteSpan | undefined; readonly suffix: ByteSpan | undefined }
  /** The probe has none of the needed bytes: fetch the needed span on its own. */
  | { readonly kind: "fetch" };

/** `needed` must not be empty; `probe` is undefined when the probe carried no body (HEAD). */
export function stitchPlan(needed: ByteSpan, probe: ByteSpan | undefined): StitchPlan {
  if (needed.end <= needed.start) throw new RangeError("nothing to fetch");
  if (probe === undefined || probe.end <= needed.start || probe.start >= needed.end) return { kind: "fetch" };
  return {
    kind: "probe",
    prefix: probe.start > needed.start ? { start: needed.start, end: probe.start } : undefined,
    suffix: probe.end < needed.end ? { start: probe.end, end: needed.end } : undefined,
  };
}
