/**
 * The source of a CopyObject or UploadPartCopy, as the proxy must know it before anything is copied: one
 * re-signed HEAD (the client's copy-source SSE-C key, payer and owner headers mapped to their read forms)
 * tells whether it is encrypted (its envelope), its stored ETag, length and version. The client's
 * `x-amz-copy-source-if-*` conditions name the ETag the client sees (clientEtag.ts), so they are evaluated here
 * against the client-visible ETag; whatever the proxy then does with the source is pinned to the stored ETag it
 * saw (`x-amz-copy-source-if-match` on a forwarded copy, `If-Match` on its own GETs), so a concurrent overwrite
 * fails the copy instead of copying an object nobody evaluated.
 *
 * Copy-related headers must arrive as headers: a presigned copy URL carries them in the query (SigV4 hoists
 * `x-amz-*`), where the proxy would forward a metadata directive it never read. Such requests are refused.
 */
import type { RawHeaders } from "../http/hopByHop.ts";
import { readEnvelopeMetadata, type Envelope } from "../crypto/index.ts";
import { copySourceConditionsHold, readCopySourceConditions } from "../copy/copyConditions.ts";
import { parseCopySource } from "../copy/copySource.ts";
import { copySourceAddress } from "../copy/copySourceAddress.ts";
import { copySourceReadHeaders } from "../copy/copySourceHeaders.ts";
import { copySourceUnavailable } from "../copy/copySourceStatus.ts";
import { ProxyError } from "../errors/ProxyError.ts";
import { hasConstellationMetadata } from "../legacy/index.ts";
import { parseHttpDate } from "../http/preconditions.ts";
import type { S3Endpoint } from "../s3/S3Endpoint.ts";
import type { Exchange } from "./Exchange.ts";
import type { PinnedObject } from "./pinnedRangeGet.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";
import { clientHost, splitTarget } from "./s3StepHeaders.ts";
import { clientEtagOf } from "./storedObjectEtag.ts";
import { headUpstream } from "./upstreamHead.ts";

export interface CopySourceObject {
  /** The exchange as seen from the source: its host, path and query address the source object upstream. */
  readonly view: Exchange;
  readonly region: string | undefined;
  /** Headers every read of the source carries (SSE-C key, payer, owner). */
  readonly readHeaders: RawHeaders;
  readonly storedEtag: string;
  readonly clientEtag: string;
  /** null: legacy plaintext. */
  readonly envelope: Envelope | null;
  readonly storedLength: number;
  /** The version the HEAD answered for (x-amz-version-id), relayed as x-amz-copy-source-version-id. */
  readonly versionId: string | undefined;
  /** The HEAD's raw headers (the source's metadata, tag count). */
  readonly head: RawHeaders;
}

const DECIMAL = /^[0-9]{1,16}$/;

function refusePresignedCopy(ex: Exchange): void {
  const { query } = splitTarget(ex.path);
  if (/(?:^|&)x-amz-/i.test(query)) {
    throw new ProxyError(
      "NotImplemented",
      "Copies with x-amz-* query parameters (presigned copy URLs) are not supported through s3proxy; send " +
        "the copy headers as headers.",
    );
  }
}

/** The exchange re-aimed at the source object (host, connection, path). */
export function copySourceView(
  ex: Exchange,
  endpoint: Pick<S3Endpoint, "style" | "bucket">,
  header: string,
): Exchange {
  const source = parseCopySource(header);
  const host = clientHost(ex.req, ex.target.host);
  const address = copySourceAddress({ style: endpoint.style, bucket: endpoint.bucket, host }, source);
  if (address.host === undefined) return { ...ex, path: address.target };
  // Without --upstream-endpoint the proxy connects to the host the client named; the source's host is another.
  const name = address.host.replace(/:[0-9]+$/, "");
  const destination =
    ex.destination.host === ex.target.host
      ? { ...ex.destination, host: name, servername: name }
      : ex.destination;
  return { ...ex, path: address.target, destination, upstreamHost: address.host };
}

export async function openCopySource(
  ex: Exchange,
  deps: S3StepDeps,
  endpoint: Pick<S3Endpoint, "style" | "bucket" | "region">,
): Promise<CopySourceObject> {
  refusePresignedCopy(ex);
  const header = ex.req.headers["x-amz-copy-source"];
  if (typeof header !== "string") {
    throw new ProxyError("InvalidArgument", "A copy needs exactly one x-amz-copy-source header.");
  }
  const view = copySourceView(ex, endpoint, header);
  const region = endpoint.region;
  const readHeaders = copySourceReadHeaders(ex.req.rawHeaders);
  const head = await headUpstream(view, deps, region, readHeaders);
  const status = head.statusCode ?? 502;
  if (status !== 200) throw copySourceUnavailable(status, head.headers);
  const storedEtag = head.headers.etag;
  const length = head.headers["content-length"];
  if (storedEtag === undefined || length === undefined || !DECIMAL.test(length)) {
    throw new ProxyError(
      "ProxyUpstreamFailed",
      "The upstream answered the copy source's HEAD without ETag or length.",
    );
  }
  const envelope = readEnvelopeMetadata(head.headers);
  if (envelope === null && hasConstellationMetadata(head.headers)) {
    // Its bytes are Constellation ciphertext: copied or "re-encrypted" as plaintext, the copy would read back
    // as that ciphertext (docs/LEGACY.md).
    throw new ProxyError(
      "NotImplemented",
      "The copy source was written by Constellation's s3proxy; convert it with `s3proxy migrate` first.",
    );
  }
  const clientEtag = await clientEtagOf(storedEtag, envelope, deps.keys);
  const lastModified = parseHttpDate(head.headers["last-modified"]);
  if (
    !copySourceConditionsHold(readCopySourceConditions(ex.req.headers), { etag: clientEtag, lastModified })
  ) {
    throw new ProxyError(
      "PreconditionFailed",
      "At least one of the pre-conditions you specified did not hold",
    );
  }
  const version = head.headers["x-amz-version-id"];
  return {
    view,
    region,
    readHeaders,
    storedEtag,
    clientEtag,
    envelope,
    storedLength: Number(length),
    versionId: typeof version === "string" ? version : undefined,
    head: head.rawHeaders,
  };
}

/** The source as a ranged read pins it (pinnedRangeGet.ts): its stored bytes under the ETag the HEAD saw. */
export function pinnedSource(source: CopySourceObject, deps: S3StepDeps): PinnedObject {
  return {
    ex: source.view,
    deps,
    region: source.region,
    headers: source.readHeaders,
    query: splitTarget(source.view.path).query,
    etag: source.storedEtag,
    ciphertextLength: source.storedLength,
  };
}
