/**
 * How the proxy shows object sizes and ETags in LIST answers (`--list-sizes`, S3PROXY_LIST_SIZES). A listing entry
 * carries no metadata (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html: key, ETag, size, dates,
 * storage class, owner), so from the listing alone the proxy cannot tell an encrypted object from a legacy
 * plaintext one that lives in the same bucket (a migration). The policy says what to do about it:
 *
 * - `head` (default): every listed object the proxy has not seen yet is HEADed once to read its envelope; the
 *   answer is cached by stored ETag and size, so a listing seen twice costs no requests. Exact for mixed buckets.
 * - `math`: no extra requests; every entry whose stored size is a possible ciphertext length is shown with the
 *   plaintext size of docs/FORMAT.md §6 (e = 16) and its stored ETag marked as not an MD5. Only correct for
 *   buckets that hold nothing but objects written through the proxy.
 * - `off`: listings are relayed as S3 sends them (ciphertext sizes, stored ETags).
 */
export const LIST_SIZES_POLICIES = ["head", "math", "off"] as const;
export type ListSizesPolicy = (typeof LIST_SIZES_POLICIES)[number];
export const DEFAULT_LIST_SIZES: ListSizesPolicy = "head";

export function isListSizesPolicy(value: string): value is ListSizesPolicy {
  return (LIST_SIZES_POLICIES as readonly string[]).includes(value);
}
