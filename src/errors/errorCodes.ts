/**
 * The registry of every error code the proxy can answer with, its HTTP status and what it means.
 * Codes that exist in S3 keep S3's name and status (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
 * so S3 clients parse and retry them as they would against S3; proxy-only codes are prefixed `Proxy`.
 * docs/ERRORS.md lists them; test/errors/errorCodes.test.ts fails if one is undocumented.
 */
export const ERROR_CODES = {
  InvalidRequest: {
    status: 400,
    meaning: "The request is malformed (duplicate Host/Content-Length, bad framing).",
  },
  InvalidArgument: { status: 400, meaning: "A request parameter or header has an invalid value." },
  AccessDenied: { status: 403, meaning: "The proxy refuses this request by policy." },
  NotImplemented: { status: 501, meaning: "The operation would move object data the proxy cannot protect." },
  InternalError: { status: 500, meaning: "An unexpected failure inside the proxy; details are in its log." },
  ServiceUnavailable: {
    status: 503,
    meaning: "The upstream endpoint or the key provider (KMS) could not be reached; retry later.",
  },
  SlowDown: {
    status: 503,
    meaning: "The key provider (KMS) is throttling the proxy's requests; retry later.",
  },
  PreconditionFailed: {
    status: 412,
    meaning: "An If-Match / If-None-Match condition failed against the ETag the client sees for the object.",
  },
  RequestTimeout: {
    status: 400,
    meaning: "The client or upstream stopped sending data before the body ended.",
  },
  ProxyBadAuthority: {
    status: 400,
    meaning: "The CONNECT authority or request host is not a valid host:port.",
  },
  ProxyPortForbidden: { status: 403, meaning: "The requested port is not in --allow-ports." },
  ProxyLoopDetected: { status: 508, meaning: "The target resolves back to this proxy." },
  ProxyMisdirectedRequest: {
    status: 421,
    meaning: "The request's Host does not match the host the connection was opened for.",
  },
  ProxyUpstreamFailed: {
    status: 502,
    meaning: "The upstream endpoint failed or answered with broken framing.",
  },
  ProxyNotFound: { status: 404, meaning: "The proxy itself serves no such path." },
  BadDigest: {
    status: 400,
    meaning: "The Content-MD5 or x-amz-checksum-* the client sent does not match the body received.",
  },
  XAmzContentSHA256Mismatch: {
    status: 400,
    meaning: "The body's SHA-256 does not match the x-amz-content-sha256 the client signed.",
  },
  SignatureDoesNotMatch: {
    status: 403,
    meaning: "A signature the client sent (e.g. an aws-chunked chunk or trailer signature) does not verify.",
  },
  IncompleteBody: {
    status: 400,
    meaning: "The body ended before the length the client declared (x-amz-decoded-content-length).",
  },
  MissingContentLength: {
    status: 411,
    meaning: "The request declares no body length where one is required (x-amz-decoded-content-length).",
  },
  InvalidDigest: { status: 400, meaning: "The Content-MD5 header is not the base64 of a 128-bit digest." },
  EntityTooLarge: { status: 400, meaning: "The declared body is larger than a single PUT allows (5 GiB)." },
  AuthorizationHeaderMalformed: {
    status: 400,
    meaning: "The Authorization header (or x-amz-date) cannot be parsed as AWS SigV4.",
  },
  InvalidURI: { status: 400, meaning: "The request path or query has a malformed %-escape or bad UTF-8." },
  InvalidBucketName: { status: 400, meaning: "The path-style bucket segment is not a valid bucket name." },
  ProxyUnsupportedEndpoint: {
    status: 400,
    meaning: "The host is an AWS name but not an S3 data-plane endpoint form the proxy understands.",
  },
  RequestTimeTooSkewed: {
    status: 403,
    meaning: "The request's x-amz-date is more than 15 minutes away from the proxy's clock.",
  },
  InvalidAccessKeyId: {
    status: 403,
    meaning: "The access key id the client signed with is not known to the proxy.",
  },
  ProxyCredentialsUnavailable: {
    status: 503,
    meaning: "The proxy could not obtain its own AWS credentials to sign the upstream request.",
  },
  ProxyDecryptFailed: {
    status: 500,
    meaning: "A stored object's envelope, data key or ciphertext failed its integrity check.",
  },
  InvalidRange: {
    status: 416,
    meaning: "The Range starts at or past the end of the object's plaintext, or asks for the last 0 bytes.",
  },
  InvalidPartNumber: {
    status: 416,
    meaning: "The object has no part with the requested partNumber (a single-part object has only part 1).",
  },
  ProxyObjectChanged: {
    status: 503,
    meaning: "The object was replaced between the upstream requests of one ranged read; retry.",
  },
  NoSuchUpload: {
    status: 404,
    meaning: "The UploadId carries no valid s3proxy upload token (not issued by the proxy, or altered).",
  },
  InvalidPart: {
    status: 400,
    meaning:
      "A part in CompleteMultipartUpload was not uploaded, or its ETag is neither an MD5 nor the stored part's ETag.",
  },
  InvalidPartOrder: {
    status: 400,
    meaning: "The parts in CompleteMultipartUpload are not listed in ascending part-number order.",
  },
  MalformedXML: {
    status: 400,
    meaning: "The request's XML document is not well-formed or not the document the operation takes.",
  },
  MaxMessageLengthExceeded: {
    status: 400,
    meaning: "The request's XML document is larger than the proxy accepts for the operation.",
  },
  ProxyMultipartLayoutInvalid: {
    status: 400,
    meaning:
      "The parts break the encrypted layout: parts 1..N-1 equal, a multiple of 64 KiB; last no larger.",
  },
  ProxyListingTooLarge: {
    status: 502,
    meaning:
      "A LIST answer exceeds the 16 MiB the proxy reads to rewrite sizes (--list-sizes); use a smaller max-keys.",
  },
  MetadataTooLarge: {
    status: 400,
    meaning: "The user metadata and s3proxy's encryption envelope together exceed S3's 2 KB metadata limit.",
  },
  NoSuchKey: { status: 404, meaning: "The copy source object does not exist (its HEAD answered 404)." },
  ProxyLegacyKekMissing: {
    status: 501,
    meaning:
      "The object was written by Constellation's s3proxy and no legacy KEK is configured (docs/LEGACY.md).",
  },
  ProxyLegacyObjectTooLarge: {
    status: 501,
    meaning:
      "The Constellation s3proxy object is larger than --legacy-max-size; migrate it or raise the limit.",
  },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
