/**
 * The check CompleteMultipartUpload makes before S3 assembles an encrypted object (docs/FORMAT.md §9 and §15):
 * the client's part list against the parts S3 holds (ListParts), then the format's layout rules on the stored
 * sizes (validateMultipartParts). UploadPart cannot enforce the rules — no request says which part is the last —
 * so this is the one place they hold.
 *
 * - The list must be in ascending order (S3's own rule, InvalidPartOrder) and numbered 1..N without gaps
 *   (format rule 1; S3 would allow gaps).
 * - Every listed part must be stored (else InvalidPart, as S3 answers) and named by an ETag the client can hold
 *   for it: the MD5 of its plaintext as UploadPart answered, or the stored ETag as ListParts shows it
 *   (partEtags.ts); anything else, e.g. not 32 hex digits, is InvalidPart. The sizes checked here stay pinned
 *   to the parts S3 will assemble: upstream gets the stored ETags read here, so a part re-uploaded between
 *   this check and the upstream Complete (another part nonce, so other ciphertext and ETag) makes S3 refuse.
 * - Not checked, unlike S3: that a part named by a plaintext MD5 holds that plaintext. Verifying it would mean
 *   decrypting every part. What S3's check adds is that a client completing with an out-of-date ETag learns its
 *   part was replaced; since S3 keeps only the latest upload of each part number
 *   ("If you upload a new part using the same part number that was used with a previous part, the previously
 *   uploaded part is overwritten", https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html), the
 *   object still consists of parts that passed the proxy's digest checks for this upload and part number, each
 *   the latest one sent: only a stale list completes silently with the newer part, as concurrent PUTs would.
 * - Parts 1..N-1 must hold the same plaintext length, a multiple of the segment size, and part N no more
 *   (ProxyMultipartLayoutInvalid, with the sizes that break it in plaintext terms).
 */
import { LengthError, plaintextLength, segmentSize, validateMultipartParts } from "../crypto/index.ts";
import type { MultipartGeometry } from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import type { RequestedPart } from "./completeUploadXml.ts";
import { namesStoredPart } from "./partEtags.ts";
import type { StoredPart } from "./upstreamUploadXml.ts";

function layoutError(detail: string, segment: number): ProxyError {
  return new ProxyError(
    "ProxyMultipartLayoutInvalid",
    `s3proxy encrypts multipart uploads in ${segment}-byte segments, so parts 1..N-1 must all have the same ` +
      `size, a multiple of ${segment} bytes (e.g. 5 MiB or 8 MiB), and the last part must not be larger: ` +
      `${detail}. Configure the client's part size accordingly and upload again.`,
  );
}

/** Which rule the plaintext part sizes break, in words; undefined if none. */
function describeViolation(sizes: readonly number[], segment: number): string | undefined {
  const first = sizes[0] ?? 0;
  const last = sizes.length - 1;
  if (last > 0 && (first === 0 || first % segment !== 0)) {
    return `part 1 has ${first} bytes, not a positive multiple of ${segment}`;
  }
  for (let i = 1; i < last; i++) {
    if (sizes[i] !== first) return `part ${i + 1} has ${sizes[i]} bytes, part 1 has ${first}`;
  }
  const lastSize = sizes[last] ?? 0;
  if (last > 0 && lastSize > first) {
    return `the last part (${last + 1}) has ${lastSize} bytes, more than part 1's ${first}`;
  }
  return undefined;
}

export function checkCompleteParts(
  requested: readonly RequestedPart[],
  stored: ReadonlyMap<number, StoredPart>,
  segmentExponent: number,
): MultipartGeometry {
  const segment = segmentSize(segmentExponent);
  requested.forEach((part, i) => {
    const previous = requested[i - 1];
    if (previous !== undefined && part.partNumber <= previous.partNumber) {
      throw new ProxyError("InvalidPartOrder", "The list of parts was not in ascending order.");
    }
  });
  requested.forEach((part, i) => {
    if (part.partNumber !== i + 1) {
      throw layoutError(
        `the part list has no part ${i + 1} (parts must be numbered 1..N without gaps)`,
        segment,
      );
    }
    const have = stored.get(part.partNumber);
    if (have === undefined) {
      throw new ProxyError(
        "InvalidPart",
        `Part ${part.partNumber} could not be found: it was not uploaded, or the upload was aborted.`,
      );
    }
    if (!namesStoredPart(part.etag, have)) {
      throw new ProxyError(
        "InvalidPart",
        `The ETag of part ${part.partNumber} is neither the MD5 UploadPart answered nor the stored part's ETag.`,
      );
    }
  });
  const sizes = requested.map((p) => stored.get(p.partNumber)?.size ?? 0);
  try {
    return validateMultipartParts(sizes, segmentExponent);
  } catch (err) {
    if (!(err instanceof LengthError)) throw err;
    let plain: number[];
    try {
      plain = sizes.map((c) => plaintextLength(c, segmentExponent));
    } catch {
      // A stored size no encrypted part can have: the part was not written through the proxy.
      throw new ProxyError("InvalidPart", "A stored part does not have the size of an encrypted part.", {
        cause: err,
      });
    }
    throw layoutError(describeViolation(plain, segment) ?? err.message, segment);
  }
}
