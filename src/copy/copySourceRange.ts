/**
 * `x-amz-copy-source-range` of UploadPartCopy (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html):
 * "The range of bytes to copy from the source object. The range value must use the form bytes=first-last, where
 * the first and last are the zero-based byte offsets to copy." Both offsets are required (no suffix or open
 * form), and the range must lie inside the source; the offsets address the plaintext, which is what the client
 * knows as the object. Without the header the whole source is copied.
 */
import { ProxyError } from "../errors/ProxyError.ts";

/** Plaintext bytes [start, end) to copy from a source of `total` bytes. */
export interface CopySpan {
  readonly start: number;
  readonly end: number;
}

export function copySourceSpan(header: string | undefined, total: number): CopySpan {
  if (header === undefined) return { start: 0, end: total };
  const m = /^bytes=([0-9]{1,16})-([0-9]{1,16})$/.exec(header.trim());
  const first = Number(m?.[1]);
  const last = Number(m?.[2]);
  if (m === null || first > last) {
    throw new ProxyError(
      "InvalidArgument",
      "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the " +
        "zero-based offsets of the first and last bytes to copy",
    );
  }
  if (last >= total) {
    throw new ProxyError(
      "InvalidArgument",
      `Range specified is not valid for source object of size: ${total}`,
    );
  }
  return { start: first, end: last + 1 };
}
