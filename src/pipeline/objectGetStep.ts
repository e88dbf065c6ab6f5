/**
 * GetObject and HeadObject through the encryption pipeline (docs/FORMAT.md §5-7): the request is re-signed and
 * forwarded; a 200 answer carrying an envelope is opened (DEK unwrapped by the key provider, key commitment
 * checked) and, for GET, its body decrypted on the way to the client, which sees the plaintext length and none
 * of the envelope or ciphertext checksums. An object without an envelope is legacy plaintext and passes
 * through as stored, unless Constellation's s3proxy wrote it (x-amz-meta-constellation-dek): that is
 * ciphertext, opened with the legacy KEK or refused (legacyObjectRead.ts, docs/LEGACY.md). Other statuses
 * (304, 412, 403, 404) are relayed with envelope metadata removed.
 *
 * Whatever fails before the response head is sent (malformed envelope, unknown KEK, impossible length)
 * becomes an S3 error; a record that fails authentication mid-body breaks the connection, so the client never
 * receives plaintext of a record that did not verify, nor a short body that looks complete.
 *
 * Range and partNumber reads are objectRangeStep.ts's; a Range S3 would ignore (a list of ranges, a malformed
 * one) makes this a whole-object read, and the Range is not sent upstream.
 */
import type { IncomingMessage } from "node:http";
import { createDecryptStream, planRange, readEnvelopeMetadata, type Envelope } from "../crypto/index.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import { encryptedObjectEtag } from "./clientEtag.ts";
import { planConditionalRequest } from "./conditionalRequest.ts";
import { toPipelineError } from "./encryptErrors.ts";
import type { Exchange } from "./Exchange.ts";
import { hasConstellationMetadata } from "../legacy/index.ts";
import { openLegacyObject } from "./legacyObjectRead.ts";
import { getDecryptedRange } from "./objectRangeStep.ts";
import { openStoredObjectKeys } from "./openStoredObjectKeys.ts";
import type { PartSegmentsCache } from "./partSegmentsCache.ts";
import { rangedReadOf, withoutPartNumber, withoutRangeHeaders } from "./rangedRead.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientResponseHeaders, getUpstreamHeaders } from "./s3StepHeaders.ts";
import { relayS3Exchange, type ResponsePlan } from "./s3StepRelay.ts";
import { openResignedRequest } from "./s3StepResign.ts";

const DECIMAL = /^[0-9]{1,16}$/;

async function openEnvelope(
  upRes: IncomingMessage,
  envelope: Envelope,
  deps: S3StepDeps,
  withBody: boolean,
): Promise<ResponsePlan> {
  const stored = upRes.headers["content-length"];
  if (stored === undefined || !DECIMAL.test(stored)) {
    throw new ProxyError(
      "ProxyUpstreamFailed",
      "The upstream answered an encrypted object without a length.",
    );
  }
  const plan = planRange({
    segmentExponent: envelope.header.segmentExponent,
    ciphertextLength: Number(stored),
  });
  const keys = await openStoredObjectKeys(deps.keys, envelope);
  const upstreamEtag = upRes.headers.etag;
  const etag = upstreamEtag === undefined ? undefined : encryptedObjectEtag(upstreamEtag, envelope, keys);
  return {
    headers: clientResponseHeaders(upRes.rawHeaders, { length: plan.plaintextLength, etag }),
    transforms: withBody ? [createDecryptStream({ keys, plan })] : [],
  };
}

export async function getDecryptedObject(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
  partNumber: number | undefined,
  partSegments: PartSegmentsCache,
): Promise<void> {
  const method = ex.req.method === "HEAD" ? "HEAD" : "GET";
  const read = rangedReadOf(ex.req.headers.range, partNumber);
  const conditional = await planConditionalRequest(
    // Preconditions hold for the object, not one of its parts: its HEAD goes without partNumber.
    read?.kind === "part" ? { ...ex, path: withoutPartNumber(ex.path) } : ex,
    deps,
    region,
    method,
    getUpstreamHeaders(ex.req.rawHeaders),
  );
  if (conditional.kind === "not-modified") {
    ex.res.writeHead(304, conditional.headers).end();
    return;
  }
  if (read !== undefined) {
    return getDecryptedRange(ex, deps, { method, region, read, headers: conditional.headers, partSegments });
  }
  const headers = withoutRangeHeaders(conditional.headers);
  const upstream = await openResignedRequest(ex, deps, { method, region, headers });
  await relayS3Exchange({
    upstream,
    res: ex.res,
    body: undefined,
    onResponse: async (upRes) => {
      const envelope = upRes.statusCode === 200 ? readEnvelopeMetadata(upRes.headers) : null;
      if (envelope === null && upRes.statusCode === 200 && hasConstellationMetadata(upRes.headers)) {
        return openLegacyObject(ex, deps, upRes, method);
      }
      if (envelope === null) return { headers: clientResponseHeaders(upRes.rawHeaders), transforms: [] };
      return openEnvelope(upRes, envelope, deps, method === "GET");
    },
    mapError: (err) => toPipelineError(err, true),
  });
}
