/**
 * Decides which S3 operation an intercepted request is and what the proxy does with it (encrypt, decrypt,
 * forward, refuse), by matching it against operationTable.ts. Pure: looks only at the method, the parsed
 * endpoint and the request headers. The body is never read here; operations whose safety depends on it say
 * so with `bodyCheck` and are refused until that check passes.
 *
 * Fail closed: a request that matches no entry, matches an entry but carries a body the entry does not take,
 * names a different operation in the SDK's `x-id` parameter, or repeats a query parameter is refused.
 *
 * Query parameters that never change the operation, accepted on every entry:
 * - `x-id`: the AWS SDK for JavaScript v3 appends `x-id=<Operation>` to shapes that would otherwise collide
 *   (`PUT /{Bucket}/{Key+}?x-id=PutObject`); it must name the matched entry (or one of its aliases).
 * - `x-amz-*` (any case): SigV4 presigned-URL parameters and headers hoisted into the query
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html); the data headers among
 *   them (operationTable.ts DATA_HEADERS) count as if sent as headers.
 * - `AWSAccessKeyId`, `Expires`, `Signature`: legacy SigV2 query authentication.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import {
  DATA_HEADERS,
  OPERATIONS,
  REFUSED_STYLES,
  type DataHeader,
  type OperationName,
  type OperationRule,
  type RefuseCode,
  type BodyCheck,
  type RewriteHint,
} from "./operationTable.ts";
import type { S3Endpoint } from "./S3Endpoint.ts";

export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface ClassifyInput {
  /** The request method exactly as received (methods are case-sensitive, RFC 9110 §9.1). */
  method: string;
  endpoint: Pick<S3Endpoint, "style" | "bucket" | "key" | "query">;
  /** Request headers with lowercase names, as node:http provides them. */
  headers: RequestHeaders;
}

interface ClassificationBase {
  /** The matched table entry, or "Unknown". */
  name: OperationName | "Unknown";
  /** Why: the entry's reason, or what made the request unknown. For logs and the refusal message. */
  reason: string;
  /** GET/HEAD with `?partNumber=N`, UploadPart: the part the client asked for or sends (1-10000). */
  partNumber?: number;
  rewrite?: RewriteHint;
  /** Set on RestoreObject: refused unless checkRestoreRequest accepts the body. */
  bodyCheck?: BodyCheck;
}

export type OperationClassification = ClassificationBase &
  (
    | { action: "encrypt" | "decrypt" | "multipart" | "copy" | "forward" }
    | { action: "refuse"; refuseCode: RefuseCode }
  );

const ALWAYS_ALLOWED = new Set(["x-id", "AWSAccessKeyId", "Expires", "Signature"]);
const isHeaderParam = (name: string): boolean => name.toLowerCase().startsWith("x-amz-");

function hasHeader(headers: RequestHeaders, name: string): boolean {
  return headers[name] !== undefined;
}

function firstHeader(headers: RequestHeaders, name: string): string | undefined {
  const v = headers[name];
  return typeof v === "string" ? v : v?.[0];
}

/** Whether the request carries a body: any Transfer-Encoding, or a non-zero length (RFC 9112 §6.3). */
function hasBody(headers: RequestHeaders): boolean {
  if (hasHeader(headers, "transfer-encoding")) return true;
  for (const name of ["content-length", "x-amz-decoded-content-length"]) {
    const v = firstHeader(headers, name);
    if (v !== undefined && !/^\s*0+\s*$/.test(v)) return true;
  }
  return false;
}

interface RequestFacts {
  method: string;
  target: "service" | "bucket" | "object";
  endpoint: ClassifyInput["endpoint"];
  params: ReadonlyMap<string, string>;
  dataHeaders: ReadonlySet<DataHeader>;
}

function ruleMatches(rule: OperationRule, f: RequestFacts): boolean {
  if (rule.method !== f.method || rule.target !== f.target) return false;
  if (rule.key !== undefined && rule.key !== f.endpoint.key) return false;
  if (rule.styles !== undefined && !rule.styles.includes(f.endpoint.style)) return false;
  for (const [name, value] of Object.entries(rule.subresources)) {
    const got = f.params.get(name);
    if (got === undefined || (value !== undefined && got !== value)) return false;
  }
  for (const name of f.params.keys()) {
    if (ALWAYS_ALLOWED.has(name) || isHeaderParam(name)) continue;
    if (!Object.hasOwn(rule.subresources, name) && !rule.params.includes(name)) return false;
  }
  if (rule.headers.length !== f.dataHeaders.size) return false;
  return rule.headers.every((h) => f.dataHeaders.has(h));
}

function refuse(name: OperationName | "Unknown", reason: string, extra: Partial<ClassificationBase> = {}) {
  return { ...extra, name, reason, action: "refuse", refuseCode: "NotImplemented" } as const;
}

/** Client-chosen text in a reason is quoted, escaped (no control characters reach logs) and truncated. */
function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

function describeRequest(f: RequestFacts): string {
  const names = [...f.params.keys()].filter((n) => !ALWAYS_ALLOWED.has(n) && !isHeaderParam(n));
  const query = names.length > 0 ? ` with query ${names.map(quote).join(", ")}` : "";
  const headers = f.dataHeaders.size > 0 ? ` with ${[...f.dataHeaders].join(", ")}` : "";
  return `${f.method} on ${f.target}${query}${headers}`;
}

function parsePartNumber(value: string): number {
  const n = Number(value);
  if (!/^[1-9][0-9]{0,4}$/.test(value) || n > 10000) {
    throw new ProxyError("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive.");
  }
  return n;
}

/** Classifies one request. Throws ProxyError `InvalidArgument` only for a malformed `partNumber`. */
export function classifyOperation(input: ClassifyInput): OperationClassification {
  const { endpoint, headers } = input;
  const params = new Map<string, string>();
  for (const [name, value] of endpoint.query) {
    if (params.has(name)) return refuse("Unknown", `duplicate query parameter ${quote(name)}`);
    params.set(name, value);
  }
  const dataHeaders = new Set<DataHeader>(
    DATA_HEADERS.filter(
      (h) => hasHeader(headers, h) || [...params.keys()].some((p) => p.toLowerCase() === h),
    ),
  );
  const facts: RequestFacts = {
    method: input.method,
    target: endpoint.bucket === undefined ? "service" : endpoint.key === undefined ? "bucket" : "object",
    endpoint,
    params,
    dataHeaders,
  };
  if (facts.target === "service" && endpoint.key !== undefined) {
    return refuse("Unknown", "a key without a bucket");
  }

  const matched = OPERATIONS.filter((r) => ruleMatches(r, facts));
  const rule = matched[0];
  if (rule === undefined || matched.length > 1) {
    return refuse("Unknown", `unrecognised S3 operation (${describeRequest(facts)})`);
  }
  const xId = params.get("x-id");
  if (xId !== undefined && xId !== rule.name && !rule.aliases.includes(xId)) {
    return refuse(
      "Unknown",
      `x-id ${quote(xId)} does not name ${rule.name}, the operation the request has the shape of`,
    );
  }
  if (rule.body === "none" && hasBody(headers)) {
    return refuse(rule.name, `${rule.name} takes no request body, but this request has one`);
  }

  const extra: Partial<ClassificationBase> = {};
  const part = params.get("partNumber");
  if (
    part !== undefined &&
    (rule.params.includes("partNumber") || Object.hasOwn(rule.subresources, "partNumber"))
  ) {
    extra.partNumber = parsePartNumber(part);
  }
  if (rule.rewrite !== undefined) extra.rewrite = rule.rewrite;
  if (rule.bodyCheck !== undefined) extra.bodyCheck = rule.bodyCheck;

  if (rule.action === "refuse") {
    const refuseCode = rule.refuseCode ?? "NotImplemented";
    return { ...extra, name: rule.name, reason: rule.why, action: "refuse", refuseCode };
  }
  const styleRefusal = REFUSED_STYLES[endpoint.style];
  if (styleRefusal !== undefined) return refuse(rule.name, styleRefusal, extra);
  return { ...extra, name: rule.name, reason: rule.why, action: rule.action };
}
