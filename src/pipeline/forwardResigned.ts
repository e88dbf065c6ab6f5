/**
 * Operations that move no object data (listings, bucket configuration, DeleteObject(s), tagging, ACLs, …) go
 * upstream unchanged in content but re-signed with the proxy's own credentials, like every other intercepted
 * request: the application's credentials need not be valid upstream, and every request S3 sees comes from one
 * identity. (Who may use the proxy at all is client authentication, a later issue.)
 *
 * The body is relayed as sent, so the payload hash the client signed still describes it and is signed again:
 * a hex SHA-256 (S3 verifies it), UNSIGNED-PAYLOAD, or STREAMING-UNSIGNED-PAYLOAD-TRAILER (aws-chunked framing
 * with an unsigned checksum trailer, relayed as is). Signed aws-chunked bodies carry chunk signatures chained
 * from the client's signature, which cannot survive re-signing: they are decoded (and their checksum trailer
 * verified, src/s3body/createBodyDecoding.ts) and sent with a plain Content-Length instead.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
import { createHash } from "node:crypto";
import { Readable, type Transform } from "node:stream";
import { stripHopByHop, type RawHeaders } from "../http/hopByHop.ts";
import { createBodyDecoding } from "../s3body/createBodyDecoding.ts";
import { parsePayloadMode, type PayloadMode } from "../s3body/parsePayloadMode.ts";
import { toPipelineError } from "./encryptErrors.ts";
import type { Exchange } from "./Exchange.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { relayS3Exchange } from "./s3StepRelay.ts";
import { openResignedRequest } from "./s3StepResign.ts";

/** Headers that describe signed aws-chunked framing, replaced when the body is sent decoded. */
const CHUNK_FRAMING: ReadonlySet<string> = new Set([
  "content-length",
  "content-encoding",
  "x-amz-decoded-content-length",
  "x-amz-trailer",
  "x-amz-sdk-checksum-algorithm",
]);

function hasBody(ex: Exchange): boolean {
  const length = ex.req.headers["content-length"];
  return ex.req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** The payload hash to sign for a body relayed byte for byte. */
function relayedPayloadHash(mode: PayloadMode): string {
  switch (mode.payloadHash.kind) {
    case "sha256":
      return mode.payloadHash.hex;
    case "streaming":
      return mode.payloadHash.value;
    default:
      return "UNSIGNED-PAYLOAD";
  }
}

export async function forwardResigned(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
): Promise<void> {
  const raw = ex.req.rawHeaders;
  const mode = parsePayloadMode(raw);
  const decode = mode.framing.kind === "aws-chunked" && mode.framing.signedChunks;
  let headers: RawHeaders = raw;
  let payloadHash = relayedPayloadHash(mode);
  const transforms = [];
  if (decode && mode.framing.kind === "aws-chunked") {
    headers = decodedBodyHeaders(raw, mode, mode.framing.decodedLength);
    payloadHash = "UNSIGNED-PAYLOAD";
    transforms.push(...createBodyDecoding(mode, raw).transforms);
  }
  if (ex.expectContinue && hasBody(ex)) ex.res.writeContinue();
  await relayResigned(
    ex,
    deps,
    region,
    headers,
    payloadHash,
    hasBody(ex) ? { source: ex.req, transforms } : undefined,
  );
}

/**
 * Forwards a request whose body document the proxy has read and checked (RestoreObject, whose safety depends on
 * its body: src/s3/checkRestoreRequest.ts): the decoded document is sent with its own length and SHA-256.
 */
export async function forwardCheckedDocument(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
  mode: PayloadMode,
  document: Buffer,
): Promise<void> {
  const raw = ex.req.rawHeaders;
  const headers = mode.framing.kind === "aws-chunked" ? decodedBodyHeaders(raw, mode, document.length) : raw;
  const payloadHash = createHash("sha256").update(document).digest("hex");
  await relayResigned(ex, deps, region, headers, payloadHash, {
    source: Readable.from([document]),
    transforms: [],
  });
}

/** The request's headers for its decoded body: aws-chunked framing replaced by a plain Content-Length. */
function decodedBodyHeaders(raw: RawHeaders, mode: PayloadMode, length: number): RawHeaders {
  const headers = stripHopByHop(raw, CHUNK_FRAMING);
  headers.push("Content-Length", String(length));
  if (mode.storedContentEncoding !== undefined) headers.push("Content-Encoding", mode.storedContentEncoding);
  return headers;
}

async function relayResigned(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
  headers: RawHeaders,
  payloadHash: string,
  body: { source: Readable; transforms: Transform[] } | undefined,
): Promise<void> {
  const upstream = await openResignedRequest(ex, deps, {
    method: ex.req.method ?? "GET",
    region,
    headers,
    payloadHash,
  });
  await relayS3Exchange({
    upstream,
    res: ex.res,
    body,
    onResponse: (upRes) => ({ headers: stripHopByHop(upRes.rawHeaders), transforms: [] }),
    mapError: (err) => toPipelineError(err, false),
  });
}
