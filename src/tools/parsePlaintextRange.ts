/**
 * `--range` of `decrypt`: a plaintext byte range written like an HTTP byte range without the `bytes=` prefix
 * (RFC 9110 §14.1.2), because that is what users know from `curl -r` and `aws s3api get-object --range`:
 *
 *   a-b   bytes a..b inclusive (b past the end is clipped to the last byte)
 *   a-    from a to the end
 *   -n    the last n bytes
 *
 * Parsing is separate from resolving: the plaintext length is known only once the envelope has been read.
 */
import { ToolError } from "./ToolError.ts";

export type PlaintextRangeSpec =
  | { readonly kind: "from"; readonly first: number; readonly last?: number }
  | { readonly kind: "suffix"; readonly length: number };

/** Half-open plaintext byte span [start, end). */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

const RANGE = /^(?:([0-9]{1,16})-([0-9]{1,16})?|-([0-9]{1,16}))$/;

export function parsePlaintextRange(text: string): PlaintextRangeSpec {
  const m = RANGE.exec(text.trim());
  if (m === null)
    throw new ToolError("ToolUsage", `--range must be a-b, a- or -n (bytes), got ${JSON.stringify(text)}`);
  const [, first, last, suffix] = m;
  if (suffix !== undefined) {
    const length = Number(suffix);
    if (length === 0) throw new ToolError("ToolUsage", "--range -0 selects no bytes");
    return { kind: "suffix", length };
  }
  const a = Number(first);
  if (last === undefined) return { kind: "from", first: a };
  const b = Number(last);
  if (b < a) throw new ToolError("ToolUsage", `--range ${text}: the last byte is before the first`);
  return { kind: "from", first: a, last: b };
}

/** The span `spec` selects in a plaintext of `length` bytes; a range starting past the end is an error. */
export function resolvePlaintextRange(spec: PlaintextRangeSpec, length: number): ByteSpan {
  if (spec.kind === "suffix") return { start: Math.max(length - spec.length, 0), end: length };
  if (spec.first >= length) {
    throw new ToolError(
      "ToolUsage",
      `--range starts at byte ${spec.first}, but the plaintext has ${length} bytes`,
    );
  }
  const end = spec.last === undefined ? length : Math.min(spec.last + 1, length);
  return { start: spec.first, end };
}
