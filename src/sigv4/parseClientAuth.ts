/**
 * Reads the SigV4 authentication a client sent — the Authorization header
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html) or presigned
 * query parameters (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html) — into one
 * shape, checking form only (no secrets, no clock). Errors use S3's codes and messages so clients report them
 * as they would S3's:
 * - no authentication at all: AccessDenied; SigV2 or SigV4a: InvalidRequest (the proxy verifies only
 *   AWS4-HMAC-SHA256); both header and query auth: InvalidArgument;
 * - a malformed Authorization header: AuthorizationHeaderMalformed (parsing shared with aws-chunked decoding,
 *   src/s3body/parseSigningContext.ts); a missing/invalid x-amz-date: AccessDenied;
 * - malformed presigned parameters: InvalidArgument. (S3 says AuthorizationQueryParametersError; that code is
 *   not in the registry yet — its name would reflow the docs/ERRORS.md table.)
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { countHeader, rawHeader } from "../http/hopByHop.ts";
import { parseSigningContext } from "../s3body/parseSigningContext.ts";
import { parseAmzDate } from "./amzDate.ts";
import { ALGORITHM } from "./canonicalRequest.ts";
import type { IncomingRequest } from "./IncomingRequest.ts";
import { splitRawQuery } from "./rawQuery.ts";

export interface ClientAuth {
  readonly mode: "header" | "query";
  readonly accessKeyId: string;
  /** Scope parts: YYYYMMDD, region, service. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  /** The signed timestamp (x-amz-date / X-Amz-Date) and its value in ms since the epoch. */
  readonly timestamp: string;
  readonly timestampMs: number;
  readonly signedHeaders: readonly string[];
  /** The signature the client sent (lower-case hex expected; compared later). */
  readonly signature: string;
  /** X-Amz-Expires in seconds (query mode only). */
  readonly expiresSeconds?: number;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const PRESIGN_REQUIRED = [
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
] as const;
const MAX_EXPIRES = 7 * 24 * 60 * 60;

const unsupported = (): ProxyError =>
  new ProxyError(
    "InvalidRequest",
    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
  );
const queryError = (message: string): ProxyError => new ProxyError("InvalidArgument", message);
const badDate = (): ProxyError =>
  new ProxyError("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");

function parseSignedHeaders(list: string, fail: (m: string) => ProxyError): string[] {
  const names = list.split(";");
  if (!names.every((n) => HEADER_NAME.test(n))) throw fail(`SignedHeaders is malformed: "${list}".`);
  if (!names.includes("host")) throw fail("SignedHeaders must include host.");
  return names;
}

function parseHeaderAuth(req: IncomingRequest, authorization: string): ClientAuth {
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    if (/^AWS[^\s]* /.test(authorization)) throw unsupported();
    throw new ProxyError("AuthorizationHeaderMalformed", "The authorization header is malformed.");
  }
  if (countHeader(req.headers, "authorization") > 1) {
    throw new ProxyError(
      "AuthorizationHeaderMalformed",
      "The request carries more than one Authorization header.",
    );
  }
  const timestamp = rawHeader(req.headers, "x-amz-date")?.trim() ?? "";
  const timestampMs = parseAmzDate(timestamp);
  if (timestampMs === undefined) throw badDate();
  const ctx = parseSigningContext(req.headers);
  const signedList = /(?:^|[\s,])SignedHeaders=([^,\s]*)/.exec(authorization.slice(ALGORITHM.length))?.[1];
  if (!signedList) {
    throw new ProxyError("AuthorizationHeaderMalformed", "The Authorization header has no SignedHeaders.");
  }
  const fail = (m: string): ProxyError => new ProxyError("AuthorizationHeaderMalformed", m);
  return {
    mode: "header",
    accessKeyId: ctx.accessKeyId,
    date: ctx.date,
    region: ctx.region,
    service: ctx.service,
    timestamp,
    timestampMs,
    signedHeaders: parseSignedHeaders(signedList, fail),
    signature: ctx.seedSignature,
  };
}

function parseQueryAuth(params: ReadonlyMap<string, string[]>): ClientAuth {
  const one = (name: string): string => {
    const values = params.get(name) ?? [];
    if (values.length !== 1 || values[0] === undefined) {
      throw queryError(
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, " +
          "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
      );
    }
    return values[0];
  };
  if (one("X-Amz-Algorithm") !== ALGORITHM) throw queryError(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const [credential, timestamp, expires, signedList, signature] = PRESIGN_REQUIRED.map(one) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const parts = credential.split("/");
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== "aws4_request") {
    throw queryError(`Error parsing the X-Amz-Credential parameter: "${credential}".`);
  }
  const timestampMs = parseAmzDate(timestamp);
  if (timestampMs === undefined) {
    throw queryError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  }
  if (timestamp.slice(0, 8) !== date) {
    throw queryError("Error parsing the X-Amz-Credential parameter; the date does not match X-Amz-Date.");
  }
  if (!/^\d{1,7}$/.test(expires)) throw queryError("X-Amz-Expires should be a number");
  const expiresSeconds = Number(expires);
  if (expiresSeconds > MAX_EXPIRES) {
    throw queryError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
  }
  return {
    mode: "query",
    accessKeyId,
    date,
    region,
    service,
    timestamp,
    timestampMs,
    signedHeaders: parseSignedHeaders(signedList, queryError),
    signature,
    expiresSeconds,
  };
}

export function parseClientAuth(req: IncomingRequest): ClientAuth {
  const authorization = rawHeader(req.headers, "authorization")?.trim();
  const params = new Map<string, string[]>();
  for (const { name, value } of splitRawQuery(req.query)) {
    const list = params.get(name);
    if (list) list.push(value);
    else params.set(name, [value]);
  }
  const queryAuth = [...params.keys()].some((n) => /^x-amz-(algorithm|credential|signature)$/i.test(n));
  if (authorization !== undefined && queryAuth) {
    throw new ProxyError(
      "InvalidArgument",
      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string " +
        "parameter or the Authorization header should be specified",
    );
  }
  if (authorization !== undefined) return parseHeaderAuth(req, authorization);
  if (params.has("X-Amz-Algorithm")) return parseQueryAuth(params);
  if (params.has("Signature") && params.has("AWSAccessKeyId")) throw unsupported();
  if (queryAuth)
    throw queryError("Query-string authentication version 4 requires the X-Amz-Algorithm parameter.");
  throw new ProxyError("AccessDenied", "Anonymous requests are not accepted: sign the request with SigV4.");
}
