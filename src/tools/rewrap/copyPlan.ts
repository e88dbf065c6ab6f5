/**
 * How a re-wrap copies an object onto itself (pure). CopyObject copies at most 5 GiB in one request; larger
 * objects need a multipart upload whose parts are UploadPartCopy ranges of the source
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html, "You can store individual objects of up
 * to 5 TB ... copy an object greater than 5 GB ... use the multipart upload Upload Part - Copy API").
 *
 * Which part boundaries: the stored bytes must come out identical, and any boundaries would do for that, since
 * readers never use S3's part list (docs/FORMAT.md §9). We still copy a multipart-layout object part for part
 * along its own logical parts, K records each (K = record 0's authenticated count), because
 * - each logical part was once a stored part that S3 accepted: at most 5 GiB, at least 5 MiB unless last, at
 *   most 10,000 of them (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html), so the same
 *   boundaries are valid again, where others would have to be invented and checked;
 * - S3's part list then matches the logical parts again, so `?partNumber=n` directly against S3 and
 *   GetObjectAttributes agree with what the proxy serves;
 * - byte-identical parts give the same multipart ETag (MD5 of the part MD5s, "-N"), so the ETag clients see
 *   does not change.
 * A single-layout object larger than 5 GiB cannot exist (PutObject stops at 5 GiB); if one is found it is
 * refused rather than guessed at, as are multipart objects whose parts would not be valid.
 */
import { partSpans } from "../../crypto/index.ts";
import { ToolError } from "../ToolError.ts";

export const MAX_COPY_OBJECT_BYTES = 5 * 1024 ** 3;
export const MIN_PART_BYTES = 5 * 1024 ** 2;
export const MAX_PART_BYTES = 5 * 1024 ** 3;
export const MAX_PARTS = 10_000;

export type CopyMethod = { readonly kind: "copy" } | { readonly kind: "parts" };

/** `threshold`: multipart-layout objects above it are copied in parts (at most MAX_COPY_OBJECT_BYTES). */
export function copyMethod(
  storedLength: number,
  layout: "single" | "multipart",
  threshold: number,
): CopyMethod {
  if (layout === "multipart" && storedLength > Math.min(threshold, MAX_COPY_OBJECT_BYTES))
    return { kind: "parts" };
  if (storedLength <= MAX_COPY_OBJECT_BYTES) return { kind: "copy" };
  throw new ToolError(
    "CopyRefused",
    `a single-part object of ${storedLength} bytes is larger than CopyObject's 5 GiB and has no part layout to copy by`,
  );
}

export interface PartRange {
  readonly part: number;
  /** Stored bytes [start, end). */
  readonly start: number;
  readonly end: number;
}

/** The UploadPartCopy ranges along the object's logical parts of K records (refused if S3 would not take them). */
export function partCopyRanges(
  storedLength: number,
  segmentExponent: number,
  partSegments: number,
): PartRange[] {
  const spans = partSpans(storedLength, segmentExponent, partSegments);
  if (spans.length > MAX_PARTS) {
    throw new ToolError(
      "CopyRefused",
      `${spans.length} parts of ${partSegments} records: S3 allows ${MAX_PARTS}`,
    );
  }
  return spans.map((span, i) => {
    const size = span.cipherLength;
    if (size > MAX_PART_BYTES) {
      throw new ToolError(
        "CopyRefused",
        `part ${span.part} would hold ${size} bytes, more than S3's 5 GiB per part`,
      );
    }
    if (size < MIN_PART_BYTES && i < spans.length - 1) {
      throw new ToolError(
        "CopyRefused",
        `part ${span.part} would hold ${size} bytes, less than the 5 MiB S3 requires of every part but the last`,
      );
    }
    return { part: span.part, start: span.cipherStart, end: span.cipherStart + size };
  });
}
