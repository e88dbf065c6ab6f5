/**
 * Every S3 API operation the proxy recognises, as data: how a request for it looks (method, path shape,
 * sub-resources, the headers that change what S3 does) and what the proxy does with it. The shapes follow
 * the S3 API reference (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html),
 * written the way its Smithy model writes them (`PUT /{Bucket}/{Key+}?tagging`). classifyOperation.ts
 * matches requests against this table; docs/OPERATIONS.md documents each entry and a test keeps the two in
 * step. A request that matches no entry is refused: unknown never means forward.
 *
 * Matching is exact: every query parameter of a request must be a sub-resource or an optional parameter the
 * entry lists, or one of the few parameters that never change the operation (see classifyOperation.ts). The
 * entries are pairwise disjoint (checked by test/s3/operationTable.test.ts), so table order does not matter.
 */
import type { S3EndpointStyle } from "./S3Endpoint.ts";

export type OperationAction = "encrypt" | "decrypt" | "multipart" | "copy" | "forward" | "refuse";
export type RefuseCode = "NotImplemented" | "AccessDenied";
export type HttpMethod = "GET" | "HEAD" | "PUT" | "POST" | "DELETE" | "OPTIONS";
/** Whether the request names no bucket (service), a bucket without key, or an object. */
export type OperationTarget = "service" | "bucket" | "object";

/**
 * Headers whose presence turns one operation into another that moves object data differently. A request
 * carrying one matches only an entry that requires it. Presigned URLs may carry them as query parameters
 * (SigV4 query auth hoists `x-amz-*` headers), which count the same.
 */
export const DATA_HEADERS = ["x-amz-copy-source", "x-amz-rename-source", "x-amz-write-offset-bytes"] as const;
export type DataHeader = (typeof DATA_HEADERS)[number];

/**
 * What body the operation takes: `none` (a request that has one is refused: the body is not known to be
 * safe), `document` (an XML/JSON configuration or request document, never object data), `object-data`.
 */
export type BodyKind = "none" | "document" | "object-data";

/** Pipeline hints: LIST responses report ciphertext sizes and ETags, rewritten by listingStep.ts. */
export type RewriteHint = "list-sizes";
/** The request body must be inspected before the operation may be forwarded (see checkRestoreRequest.ts). */
export type BodyCheck = "restore-request";

export interface OperationRule<N extends string = string> {
  readonly name: N;
  /** The request shape as the API reference writes it, e.g. `POST /{Bucket}/{Key+}?select&select-type=2`. */
  readonly shape: string;
  readonly method: HttpMethod;
  readonly target: OperationTarget;
  /** A fixed key (WriteGetObjectResponse is `POST /WriteGetObjectResponse` on an Object Lambda host). */
  readonly key: string | undefined;
  /** Query parameters that must be present; a value of undefined means any value. */
  readonly subresources: Readonly<Record<string, string | undefined>>;
  /** Optional query parameters the operation accepts. */
  readonly params: readonly string[];
  /** Data headers that must be present (all others must be absent). */
  readonly headers: readonly DataHeader[];
  /** Endpoint styles the entry applies to; undefined means any. */
  readonly styles: readonly S3EndpointStyle[] | undefined;
  readonly body: BodyKind;
  readonly action: OperationAction;
  readonly refuseCode: RefuseCode | undefined;
  readonly rewrite: RewriteHint | undefined;
  readonly bodyCheck: BodyCheck | undefined;
  /** Other operation names an SDK's `x-id` parameter may give for this shape (deprecated twins). */
  readonly aliases: readonly string[];
  /** Why the action is safe (or why it is refused): the docs' "why" column and the refusal reason. */
  readonly why: string;
}

interface RuleOptions {
  params?: readonly string[];
  headers?: readonly DataHeader[];
  styles?: readonly S3EndpointStyle[];
  body?: BodyKind;
  rewrite?: RewriteHint;
  bodyCheck?: BodyCheck;
  aliases?: readonly string[];
  refuseCode?: RefuseCode;
}

const METHODS: readonly string[] = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"];

/** Builds an entry from its API-reference shape: `METHOD /`, `/{Bucket}`, `/{Bucket}/{Key+}` or a literal key. */
function rule<N extends string>(
  name: N,
  shape: string,
  action: OperationAction,
  why: string,
  options: RuleOptions = {},
): OperationRule<N> {
  const m = /^([A-Z]+) \/(\{Bucket\}(?:\/(\{Key\+\}|[A-Za-z]+))?)?(?:\?(.+))?$/.exec(shape);
  const method = m?.[1];
  if (!m || method === undefined || !METHODS.includes(method)) throw new Error(`bad shape ${shape}`);
  const keyPart = m[3];
  const subresources: Record<string, string | undefined> = {};
  for (const part of (m[4] ?? "").split("&").filter((p) => p.length > 0)) {
    const [k = "", v] = part.split("=");
    subresources[k] = v;
  }
  return {
    name,
    shape,
    method: method as HttpMethod,
    target: m[2] === undefined ? "service" : keyPart === undefined ? "bucket" : "object",
    key: keyPart === undefined || keyPart === "{Key+}" ? undefined : keyPart,
    subresources,
    params: options.params ?? [],
    headers: options.headers ?? [],
    styles: options.styles,
    body: options.body ?? "none",
    action,
    refuseCode: action === "refuse" ? (options.refuseCode ?? "NotImplemented") : undefined,
    rewrite: options.rewrite,
    bodyCheck: options.bodyCheck,
    aliases: options.aliases ?? [],
    why,
  };
}

// Optional parameters shared by several operations.
const VERSION = ["versionId"];
const OBJECT_READ = [
  "versionId",
  "partNumber",
  "response-cache-control",
  "response-content-disposition",
  "response-content-encoding",
  "response-content-language",
  "response-content-type",
  "response-expires",
];
const LIST_CONFIGS = ["continuation-token"];

// Reasons, shared so the docs read consistently.
const CONFIG = "Bucket configuration: moves no object data.";
const CONFIG_DOC = "Bucket configuration document: moves no object data.";
const OBJECT_META = "Object sub-resource (ACL, tags, lock state): moves no object data.";
const LIST =
  "Lists keys, sizes and ETags (no object data): re-signed, and encrypted objects are shown with their " +
  "plaintext size and client-visible ETag (--list-sizes).";

/** The operation table. Entries are disjoint; order only groups them for readers. */
export const OPERATIONS = [
  // --- Service level --------------------------------------------------------------------------------
  rule("ListBuckets", "GET /", "forward", "Lists bucket names: moves no object data.", {
    params: ["max-buckets", "continuation-token", "prefix", "bucket-region"],
    styles: ["path"],
  }),
  rule(
    "ListDirectoryBuckets",
    "GET /",
    "forward",
    "Lists S3 Express directory buckets: moves no object data.",
    {
      params: ["continuation-token", "max-directory-buckets"],
      styles: ["s3express"],
    },
  ),

  // --- Object data ----------------------------------------------------------------------------------
  rule("PutObject", "PUT /{Bucket}/{Key+}", "encrypt", "Uploads object data: encrypted before it leaves.", {
    body: "object-data",
  }),
  rule("GetObject", "GET /{Bucket}/{Key+}", "decrypt", "Downloads object data: decrypted on the way back.", {
    params: OBJECT_READ,
  }),
  rule(
    "HeadObject",
    "HEAD /{Bucket}/{Key+}",
    "decrypt",
    "Object metadata: size and checksums are rewritten to the plaintext's, the envelope is hidden.",
    { params: OBJECT_READ },
  ),
  rule("DeleteObject", "DELETE /{Bucket}/{Key+}", "forward", "Deletes an object: moves no object data.", {
    params: VERSION,
  }),
  rule(
    "CopyObject",
    "PUT /{Bucket}/{Key+}",
    "copy",
    "Server-side copy: the source is HEADed first; an encrypted source's envelope is kept (COPY) or added to " +
      "the new metadata (REPLACE), a plaintext source is re-encrypted by the proxy; conditions and ETags are " +
      "the client-visible ones.",
    { headers: ["x-amz-copy-source"] },
  ),
  rule(
    "AppendObject",
    "PUT /{Bucket}/{Key+}",
    "refuse",
    "PutObject with x-amz-write-offset-bytes appends to an S3 Express object: the appended bytes would " +
      "extend a sealed envelope (corrupting it) or be stored in plaintext.",
    { headers: ["x-amz-write-offset-bytes"], body: "object-data", aliases: ["PutObject"] },
  ),
  rule(
    "RenameObject",
    "PUT /{Bucket}/{Key+}?renameObject",
    "forward",
    "Renames in place (S3 Express): no data moves and all metadata, the envelope included, is kept; " +
      "the key is not bound into the ciphertext (docs/FORMAT.md §12.2).",
    { headers: ["x-amz-rename-source"] },
  ),
  rule(
    "UpdateObjectEncryption",
    "PUT /{Bucket}/{Key+}?encryption",
    "forward",
    "Changes the server-side encryption of the stored ciphertext; no data moves, metadata is kept.",
    { params: VERSION, body: "document" },
  ),
  rule(
    "GetObjectAttributes",
    "GET /{Bucket}/{Key+}?attributes",
    "decrypt",
    "Object metadata: one (cached) HEAD finds the envelope; size, ETag and part sizes are rewritten to the " +
      "plaintext's, checksums of the ciphertext are removed.",
    { params: VERSION },
  ),
  rule(
    "GetObjectTorrent",
    "GET /{Bucket}/{Key+}?torrent",
    "refuse",
    "Serves the object through BitTorrent: object data the proxy cannot decrypt.",
  ),
  rule(
    "SelectObjectContent",
    "POST /{Bucket}/{Key+}?select&select-type=2",
    "refuse",
    "S3 Select runs SQL over the stored bytes, which are ciphertext.",
    { body: "document" },
  ),
  rule(
    "RestoreObject",
    "POST /{Bucket}/{Key+}?restore",
    "refuse",
    "Restores an archived object; forwarded only after checkRestoreRequest finds a plain restore " +
      "(a SELECT-type restore runs S3 Select over ciphertext and writes its output elsewhere).",
    { params: VERSION, body: "document", bodyCheck: "restore-request" },
  ),
  rule(
    "PostObject",
    "POST /{Bucket}",
    "refuse",
    "Browser form upload (multipart/form-data): object data the proxy does not encrypt.",
    { body: "object-data" },
  ),
  rule(
    "WriteGetObjectResponse",
    "POST /{Bucket}/WriteGetObjectResponse",
    "refuse",
    "Object Lambda returns data produced by a Lambda function, outside the proxy.",
    { styles: ["object-lambda"], body: "object-data" },
  ),

  // --- Multipart uploads ----------------------------------------------------------------------------
  rule(
    "CreateMultipartUpload",
    "POST /{Bucket}/{Key+}?uploads",
    "multipart",
    "Starts an encrypted upload: the envelope is made here and stored as the upload's metadata; the " +
      "UploadId the client gets carries it as an authenticated token (docs/FORMAT.md §15).",
  ),
  rule(
    "UploadPart",
    "PUT /{Bucket}/{Key+}?partNumber&uploadId",
    "multipart",
    "Uploads a part: checksums verified, then encrypted by any replica under a fresh per-part key from " +
      "the UploadId's token; a forged token is refused before the body is read.",
    { body: "object-data" },
  ),
  rule(
    "UploadPartCopy",
    "PUT /{Bucket}/{Key+}?partNumber&uploadId",
    "multipart",
    "Copies a byte range of another object into a part: the proxy reads the plaintext range (decrypted and " +
      "authenticated) and uploads it encrypted as the part under the upload's data key (UploadPart).",
    { headers: ["x-amz-copy-source"] },
  ),
  rule(
    "CompleteMultipartUpload",
    "POST /{Bucket}/{Key+}?uploadId",
    "multipart",
    "Completes an upload if its parts have the layout the format needs (1..N-1 equal, a multiple of " +
      "64 KiB, N no larger); the client's part checksums (of plaintext) are not forwarded.",
    { body: "document" },
  ),
  rule(
    "AbortMultipartUpload",
    "DELETE /{Bucket}/{Key+}?uploadId",
    "multipart",
    "Discards an upload's parts: moves no data; the token is stripped from the UploadId, and ids " +
      "without one (uploads started elsewhere, ListMultipartUploads) are accepted too.",
  ),
  rule(
    "ListParts",
    "GET /{Bucket}/{Key+}?uploadId",
    "multipart",
    "Lists an upload's parts: UploadId mapped both ways, sizes rewritten to plaintext sizes; the ETags are " +
      "those UploadPart returned.",
    { params: ["max-parts", "part-number-marker"] },
  ),
  rule(
    "ListMultipartUploads",
    "GET /{Bucket}?uploads",
    "forward",
    "Lists in-progress uploads (keys, upload IDs, dates; no sizes): moves no object data. The IDs are " +
      "upstream IDs without their token: they can abort an upload, not continue it.",
    { params: ["delimiter", "encoding-type", "key-marker", "max-uploads", "prefix", "upload-id-marker"] },
  ),

  // --- Object sub-resources -------------------------------------------------------------------------
  rule("GetObjectAcl", "GET /{Bucket}/{Key+}?acl", "forward", OBJECT_META, { params: VERSION }),
  rule("PutObjectAcl", "PUT /{Bucket}/{Key+}?acl", "forward", OBJECT_META, {
    params: VERSION,
    body: "document",
  }),
  rule("GetObjectTagging", "GET /{Bucket}/{Key+}?tagging", "forward", OBJECT_META, { params: VERSION }),
  rule("PutObjectTagging", "PUT /{Bucket}/{Key+}?tagging", "forward", OBJECT_META, {
    params: VERSION,
    body: "document",
  }),
  rule("DeleteObjectTagging", "DELETE /{Bucket}/{Key+}?tagging", "forward", OBJECT_META, { params: VERSION }),
  rule("GetObjectRetention", "GET /{Bucket}/{Key+}?retention", "forward", OBJECT_META, { params: VERSION }),
  rule("PutObjectRetention", "PUT /{Bucket}/{Key+}?retention", "forward", OBJECT_META, {
    params: VERSION,
    body: "document",
  }),
  rule("GetObjectLegalHold", "GET /{Bucket}/{Key+}?legal-hold", "forward", OBJECT_META, { params: VERSION }),
  rule("PutObjectLegalHold", "PUT /{Bucket}/{Key+}?legal-hold", "forward", OBJECT_META, {
    params: VERSION,
    body: "document",
  }),

  // --- Bucket level ---------------------------------------------------------------------------------
  rule("CreateBucket", "PUT /{Bucket}", "forward", "Creates a bucket: moves no object data.", {
    body: "document",
  }),
  rule("DeleteBucket", "DELETE /{Bucket}", "forward", "Deletes an empty bucket: moves no object data."),
  rule("HeadBucket", "HEAD /{Bucket}", "forward", "Checks a bucket exists: moves no object data."),
  rule("ListObjects", "GET /{Bucket}", "forward", LIST, {
    params: ["delimiter", "encoding-type", "marker", "max-keys", "prefix"],
    rewrite: "list-sizes",
  }),
  rule("ListObjectsV2", "GET /{Bucket}?list-type=2", "forward", LIST, {
    params: [
      "delimiter",
      "encoding-type",
      "max-keys",
      "prefix",
      "continuation-token",
      "fetch-owner",
      "start-after",
    ],
    rewrite: "list-sizes",
  }),
  rule("ListObjectVersions", "GET /{Bucket}?versions", "forward", LIST, {
    params: ["delimiter", "encoding-type", "key-marker", "max-keys", "prefix", "version-id-marker"],
    rewrite: "list-sizes",
  }),
  rule("DeleteObjects", "POST /{Bucket}?delete", "forward", "Deletes a list of keys: moves no object data.", {
    body: "document",
  }),
  rule(
    "CreateSession",
    "GET /{Bucket}?session",
    "forward",
    "Obtains S3 Express session credentials: moves no object data.",
  ),
  rule("GetBucketLocation", "GET /{Bucket}?location", "forward", CONFIG),
  rule("GetBucketAbac", "GET /{Bucket}?abac", "forward", CONFIG),
  rule("PutBucketAbac", "PUT /{Bucket}?abac", "forward", CONFIG_DOC, { body: "document" }),
  rule("GetBucketAccelerateConfiguration", "GET /{Bucket}?accelerate", "forward", CONFIG),
  rule("PutBucketAccelerateConfiguration", "PUT /{Bucket}?accelerate", "forward", CONFIG_DOC, {
    body: "document",
  }),
  rule("GetBucketAcl", "GET /{Bucket}?acl", "forward", CONFIG),
  rule("PutBucketAcl", "PUT /{Bucket}?acl", "forward", CONFIG_DOC, { body: "document" }),
  rule("GetBucketAnalyticsConfiguration", "GET /{Bucket}?analytics&id", "forward", CONFIG),
  rule("ListBucketAnalyticsConfigurations", "GET /{Bucket}?analytics", "forward", CONFIG, {
    params: LIST_CONFIGS,
  }),
  rule("PutBucketAnalyticsConfiguration", "PUT /{Bucket}?analytics&id", "forward", CONFIG_DOC, {
    body: "document",
  }),
  rule("DeleteBucketAnalyticsConfiguration", "DELETE /{Bucket}?analytics&id", "forward", CONFIG),
  rule("GetBucketCors", "GET /{Bucket}?cors", "forward", CONFIG),
  rule("PutBucketCors", "PUT /{Bucket}?cors", "forward", CONFIG_DOC, { body: "document" }),
  rule("DeleteBucketCors", "DELETE /{Bucket}?cors", "forward", CONFIG),
  rule("GetBucketEncryption", "GET /{Bucket}?encryption", "forward", CONFIG),
  rule("PutBucketEncryption", "PUT /{Bucket}?encryption", "forward", CONFIG_DOC, { body: "document" }),
  rule("DeleteBucketEncryption", "DELETE /{Bucket}?encryption", "forward", CONFIG),
  rule("GetBucketIntelligentTieringConfiguration", "GET /{Bucket}?intelligent-tiering&id", "forward", CONFIG),
  rule("ListBucketIntelligentTieringConfigurations", "GET /{Bucket}?intelligent-tiering", "forward", CONFIG, {
    params: LIST_CONFIGS,
  }),
  rule(
    "PutBucketIntelligentTieringConfiguration",
    "PUT /{Bucket}?intelligent-tiering&id",
    "forward",
    CONFIG_DOC,
    {
      body: "document",
    },
  ),
  rule(
    "DeleteBucketIntelligentTieringConfiguration",
    "DELETE /{Bucket}?intelligent-tiering&id",
    "forward",
    CONFIG,
  ),
  rule("GetBucketInventoryConfiguration", "GET /{Bucket}?inventory&id", "forward", CONFIG),
  rule("ListBucketInventoryConfigurations", "GET /{Bucket}?inventory", "forward", CONFIG, {
    params: LIST_CONFIGS,
  }),
  rule("PutBucketInventoryConfiguration", "PUT /{Bucket}?inventory&id", "forward", CONFIG_DOC, {
    body: "document",
  }),
  rule("DeleteBucketInventoryConfiguration", "DELETE /{Bucket}?inventory&id", "forward", CONFIG),
  rule("GetBucketLifecycleConfiguration", "GET /{Bucket}?lifecycle", "forward", CONFIG, {
    aliases: ["GetBucketLifecycle"],
  }),
  rule("PutBucketLifecycleConfiguration", "PUT /{Bucket}?lifecycle", "forward", CONFIG_DOC, {
    body: "document",
    aliases: ["PutBucketLifecycle"],
  }),
  rule("DeleteBucketLifecycle", "DELETE /{Bucket}?lifecycle", "forward", CONFIG),
  rule("GetBucketLogging", "GET /{Bucket}?logging", "forward", CONFIG),
  rule("PutBucketLogging", "PUT /{Bucket}?logging", "forward", CONFIG_DOC, { body: "document" }),
  rule("GetBucketMetadataConfiguration", "GET /{Bucket}?metadataConfiguration", "forward", CONFIG),
  rule("CreateBucketMetadataConfiguration", "POST /{Bucket}?metadataConfiguration", "forward", CONFIG_DOC, {
    body: "document",
  }),
  rule("DeleteBucketMetadataConfiguration", "DELETE /{Bucket}?metadataConfiguration", "forward", CONFIG),
  rule(
    "UpdateBucketMetadataInventoryTableConfiguration",
    "PUT /{Bucket}?metadataInventoryTable",
    "forward",
    CONFIG_DOC,
    { body: "document" },
  ),
  rule(
    "UpdateBucketMetadataJournalTableConfiguration",
    "PUT /{Bucket}?metadataJournalTable",
    "forward",
    CONFIG_DOC,
    {
      body: "document",
    },
  ),
  rule("GetBucketMetadataTableConfiguration", "GET /{Bucket}?metadataTable", "forward", CONFIG),
  rule("CreateBucketMetadataTableConfiguration", "POST /{Bucket}?metadataTable", "forward", CONFIG_DOC, {
    body: "document",
  }),
  rule("DeleteBucketMetadataTableConfiguration", "DELETE /{Bucket}?metadataTable", "forward", CONFIG),
  rule("GetBucketMetricsConfiguration", "GET /{Bucket}?metrics&id", "forward", CONFIG),
  rule("ListBucketMetricsConfigurations", "GET /{Bucket}?metrics", "forward", CONFIG, {
    params: LIST_CONFIGS,
  }),
  rule("PutBucketMetricsConfiguration", "PUT /{Bucket}?metrics&id", "forward", CONFIG_DOC, {
    body: "document",
  }),
  rule("DeleteBucketMetricsConfiguration", "DELETE /{Bucket}?metrics&id", "forward", CONFIG),
  rule("GetBucketNotificationConfiguration", "GET /{Bucket}?notification", "forward", CONFIG, {
    aliases: ["GetBucketNotification"],
  }),
  rule("PutBucketNotificationConfiguration", "PUT /{Bucket}?notification", "forward", CONFIG_DOC, {
    body: "document",
    aliases: ["PutBucketNotification"],
  }),
  rule("GetObjectLockConfiguration", "GET /{Bucket}?object-lock", "forward", CONFIG),
  rule("PutObjectLockConfiguration", "PUT /{Bucket}?object-lock", "forward", CONFIG_DOC, {
    body: "document",
  }),
  rule("GetBucketOwnershipControls", "GET /{Bucket}?ownershipControls", "forward", CONFIG),
  rule("PutBucketOwnershipControls", "PUT /{Bucket}?ownershipControls", "forward", CONFIG_DOC, {
    body: "document",
  }),
  rule("DeleteBucketOwnershipControls", "DELETE /{Bucket}?ownershipControls", "forward", CONFIG),
  rule("GetBucketPolicy", "GET /{Bucket}?policy", "forward", CONFIG),
  rule("PutBucketPolicy", "PUT /{Bucket}?policy", "forward", CONFIG_DOC, { body: "document" }),
  rule("DeleteBucketPolicy", "DELETE /{Bucket}?policy", "forward", CONFIG),
  rule("GetBucketPolicyStatus", "GET /{Bucket}?policyStatus", "forward", CONFIG),
  rule("GetPublicAccessBlock", "GET /{Bucket}?publicAccessBlock", "forward", CONFIG),
  rule("PutPublicAccessBlock", "PUT /{Bucket}?publicAccessBlock", "forward", CONFIG_DOC, {
    body: "document",
  }),
  rule("DeletePublicAccessBlock", "DELETE /{Bucket}?publicAccessBlock", "forward", CONFIG),
  rule(
    "GetBucketReplication",
    "GET /{Bucket}?replication",
    "forward",
    "Bucket configuration: replication copies ciphertext and its envelope metadata as stored.",
  ),
  rule(
    "PutBucketReplication",
    "PUT /{Bucket}?replication",
    "forward",
    "Bucket configuration: replication copies ciphertext and its envelope metadata as stored.",
    { body: "document" },
  ),
  rule(
    "DeleteBucketReplication",
    "DELETE /{Bucket}?replication",
    "forward",
    "Bucket configuration: replication copies ciphertext and its envelope metadata as stored.",
  ),
  rule("GetBucketRequestPayment", "GET /{Bucket}?requestPayment", "forward", CONFIG),
  rule("PutBucketRequestPayment", "PUT /{Bucket}?requestPayment", "forward", CONFIG_DOC, {
    body: "document",
  }),
  rule("GetBucketTagging", "GET /{Bucket}?tagging", "forward", CONFIG),
  rule("PutBucketTagging", "PUT /{Bucket}?tagging", "forward", CONFIG_DOC, { body: "document" }),
  rule("DeleteBucketTagging", "DELETE /{Bucket}?tagging", "forward", CONFIG),
  rule("GetBucketVersioning", "GET /{Bucket}?versioning", "forward", CONFIG),
  rule("PutBucketVersioning", "PUT /{Bucket}?versioning", "forward", CONFIG_DOC, { body: "document" }),
  rule(
    "GetBucketWebsite",
    "GET /{Bucket}?website",
    "forward",
    "Bucket configuration: a website endpoint can only serve the stored ciphertext.",
  ),
  rule(
    "PutBucketWebsite",
    "PUT /{Bucket}?website",
    "forward",
    "Bucket configuration: a website endpoint can only serve the stored ciphertext.",
    { body: "document" },
  ),
  rule(
    "DeleteBucketWebsite",
    "DELETE /{Bucket}?website",
    "forward",
    "Bucket configuration: a website endpoint can only serve the stored ciphertext.",
  ),

  // --- CORS preflight (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html) -------
  rule("CorsPreflight", "OPTIONS /{Bucket}", "forward", "Browser CORS preflight: carries no data."),
  rule(
    "CorsPreflightObject",
    "OPTIONS /{Bucket}/{Key+}",
    "forward",
    "Browser CORS preflight: carries no data.",
  ),
] as const;

export type OperationName = (typeof OPERATIONS)[number]["name"];

/**
 * What an endpoint style implies regardless of the operation: every request to an Object Lambda access point
 * returns (or, for WriteGetObjectResponse, supplies) data transformed by a Lambda function the proxy never sees.
 */
export const REFUSED_STYLES: Readonly<Partial<Record<S3EndpointStyle, string>>> = {
  "object-lambda":
    "Object Lambda access points serve data transformed by a Lambda function, outside the proxy.",
};
