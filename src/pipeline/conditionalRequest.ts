/**
 * Conditional requests on objects the proxy may store encrypted: the client knows the client-visible ETag
 * (clientEtag.ts), S3 only the stored one, so forwarding an If-Match / If-None-Match would fail or succeed for
 * the wrong reason, and a 304 from S3 would show the stored ETag. The proxy HEADs the object, evaluates every
 * precondition against the client-visible ETag and Last-Modified (src/http/preconditions.ts) and sends the real
 * request pinned to the object it evaluated (`If-Match: <stored ETag>`, replacing the client's conditions), so
 * an overwrite in between cannot slip in: the pinned request then fails with S3's 412. Costs one HEAD, only
 * for conditional requests.
 */
import type { IncomingMessage } from "node:http";
import { readEnvelopeMetadata } from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import type { RawHeaders } from "../http/hopByHop.ts";
import {
  evaluatePreconditions,
  hasPreconditions,
  parseHttpDate,
  readPreconditions,
} from "../http/preconditions.ts";
import type { Exchange } from "./Exchange.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientEtagOf } from "./storedObjectEtag.ts";
import { headUpstream } from "./upstreamHead.ts";

export type ConditionalPlan =
  /** Send this request upstream (conditions replaced by the pinning If-Match when there were any). */
  | { kind: "forward"; headers: RawHeaders }
  /** Answer 304 with these headers, without asking S3 for the body. */
  | { kind: "not-modified"; headers: RawHeaders };

const CONDITIONAL = new Set(["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"]);
/** What a 304 carries from the 200 it stands for (RFC 9110 §15.4.5), besides ETag. */
const NOT_MODIFIED_KEPT = new Set([
  "last-modified",
  "cache-control",
  "expires",
  "vary",
  "content-location",
  "date",
]);

function without(headers: RawHeaders, names: ReadonlySet<string>): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i] ?? "";
    if (!names.has(name.toLowerCase())) out.push(name, headers[i + 1] ?? "");
  }
  return out;
}

async function clientVisibleEtag(head: IncomingMessage, deps: S3StepDeps): Promise<string | undefined> {
  const stored = head.headers.etag;
  if (stored === undefined) return undefined;
  return clientEtagOf(stored, readEnvelopeMetadata(head.headers), deps.keys);
}

/**
 * Plans the upstream request for `method` on the exchange's object, given the headers it would otherwise send
 * (and those its HEAD should carry: by default the same minus conditions, Range and Content-Length).
 * Throws PreconditionFailed when an ETag condition fails against the client-visible ETag.
 */
export async function planConditionalRequest(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
  method: string,
  headers: RawHeaders,
  headHeaders: RawHeaders = without(headers, new Set([...CONDITIONAL, "range", "content-length"])),
): Promise<ConditionalPlan> {
  const conditions = readPreconditions(ex.req.headers);
  if (!hasPreconditions(conditions)) return { kind: "forward", headers };
  const head = await headUpstream(ex, deps, region, headHeaders);
  const stored = head.headers.etag;
  // No object to compare with (404, 403, …): S3 answers the original request as it would without the proxy.
  if (head.statusCode !== 200 || stored === undefined) return { kind: "forward", headers };
  const current = await clientVisibleEtag(head, deps);
  if (current === undefined) return { kind: "forward", headers };
  const outcome = evaluatePreconditions(
    conditions,
    { etag: current, lastModified: parseHttpDate(head.headers["last-modified"]) },
    method,
  );
  if (outcome === "precondition-failed") {
    throw new ProxyError(
      "PreconditionFailed",
      "At least one of the pre-conditions you specified did not hold",
    );
  }
  if (outcome === "not-modified") {
    const kept: RawHeaders = [];
    const raw = head.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (NOT_MODIFIED_KEPT.has((raw[i] ?? "").toLowerCase())) kept.push(raw[i] ?? "", raw[i + 1] ?? "");
    }
    kept.push("ETag", current);
    return { kind: "not-modified", headers: kept };
  }
  // The pin is sent unquoted: S3 takes either form (its conditional-write examples pass a bare ETag), while
  // Ceph radosgw (16.2) compares a PUT's If-Match with the bare ETag and fails a quoted one that matches.
  return {
    kind: "forward",
    headers: [...without(headers, CONDITIONAL), "If-Match", stored.replace(/"/g, "")],
  };
}
