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
  ServiceUnavailable: { status: 503, meaning: "The upstream endpoint could not be reached; retry later." },
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
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
