/**
 * The numbers and names that define encryption format v1 (docs/FORMAT.md). They are part of the on-disk
 * promise: changing any of them changes how existing objects decrypt, so they only ever change together with
 * a new format version (docs/FORMAT.md §10), and the frozen vectors in test/vectors/ check them.
 */

/** Envelope header byte 0. */
export const FORMAT_VERSION = 1;
/** Envelope header byte 1: AES-256-GCM records, HKDF-SHA256 key derivation and key commitment. */
export const SUITE_AES256GCM_HKDF_SHA256 = 1;

export const DEK_LENGTH = 32;
export const SALT_LENGTH = 32;
export const COMMITMENT_LENGTH = 32;
/** version, suite, segment exponent, layout, salt, commitment. */
export const ENVELOPE_HEADER_LENGTH = 4 + SALT_LENGTH + COMMITMENT_LENGTH;

export const PART_NONCE_LENGTH = 8;
/** part (2), part nonce (8), index (3), count (3). */
export const RECORD_HEADER_LENGTH = 16;
/** Full 128-bit GCM tag (NIST SP 800-38D §5.2.1.2). */
export const TAG_LENGTH = 16;
/** Bytes a record adds to its segment's plaintext. */
export const RECORD_OVERHEAD = RECORD_HEADER_LENGTH + TAG_LENGTH;
export const GCM_NONCE_LENGTH = 12;

/** Segment plaintext size is 2^e bytes; readers accept 4 KiB .. 1 MiB (bounded reader memory). */
export const MIN_SEGMENT_EXPONENT = 12;
export const MAX_SEGMENT_EXPONENT = 20;
export const DEFAULT_SEGMENT_EXPONENT = 16;
/** Records per part (and per single-part object): the index and count fields are 24-bit. */
export const MAX_RECORDS_PER_PART = 2 ** 24 - 1;

/** The part number of the only part of a single-part (PutObject) object. */
export const SINGLE_PART_NUMBER = 0;
/** S3's part numbers for multipart uploads are 1..10000. */
export const MAX_PART_NUMBER = 10_000;

export type Layout = "single" | "multipart";
export const LAYOUT_BYTE: Readonly<Record<Layout, number>> = { single: 0, multipart: 1 };

/** Metadata header names (lowercase, as S3 returns them). The hdr key is the "this object is ours" marker. */
export const META_HEADER = "x-amz-meta-s3proxy-hdr";
export const META_KEK = "x-amz-meta-s3proxy-kek";
export const META_DEK = "x-amz-meta-s3proxy-dek";
/** Optional (§2.1): the plaintext MD5, sealed under a DEK-derived key, for a client-visible ETag. */
export const META_MD5 = "x-amz-meta-s3proxy-md5";
/** MD5 digest (16) + GCM tag (16). */
export const SEALED_MD5_LENGTH = 32;
export const KEK_REF_MAX_LENGTH = 256;
export const WRAPPED_DEK_MAX_LENGTH = 512;
/** S3 caps user-defined metadata (names + values, UTF-8) at 2 KB per object. */
export const S3_USER_METADATA_LIMIT = 2048;

/** HKDF-SHA256 info labels (RFC 5869 §3.2: distinct info strings give independent keys). */
export const LABEL_COMMITMENT = "s3proxy/v1 commitment";
export const LABEL_PART_KEY = "s3proxy/v1 part key";
export const LABEL_MD5_KEY = "s3proxy/v1 plaintext md5";

/** The key-reference scheme whose wrapped DEK is an RFC 3394 AES key wrap done by this module. */
export const KEK_SCHEME_AES_KW = "aeskw";

/** node:crypto name of the record cipher (suite 1). */
export const SEGMENT_CIPHER = "aes-256-gcm";
