/**
 * The default intercept step: s3proxy's encryption pipeline. Every intercepted request is parsed and
 * classified (src/s3/classifyOperation.ts, docs/OPERATIONS.md):
 * - `encrypt` (PutObject): body decoded, verified, encrypted, re-signed (objectPutStep.ts);
 * - `decrypt` (GetObject, HeadObject): re-signed, envelope opened, body decrypted (objectGetStep.ts);
 *   GetObjectAttributes: sizes, ETag and checksums shown for the plaintext (objectAttributesStep.ts);
 * - `multipart`: the envelope travels in the UploadId's token (docs/FORMAT.md §15): CreateMultipartUpload makes
 *   it, UploadPart encrypts a part with it, CompleteMultipartUpload checks the part layout, ListParts and
 *   AbortMultipartUpload map the UploadId (multipart*Step.ts);
 * - `copy` (CopyObject): the source's envelope kept (COPY) or carried over (REPLACE), a plaintext source
 *   re-encrypted (copyObjectStep.ts); UploadPartCopy (`multipart`) re-encrypts the copied range as a part
 *   (multipartPartCopyStep.ts);
 * - `forward`: operations that move no object data go upstream unchanged in content, re-signed with the proxy's
 *   credentials like everything else (forwardResigned.ts); LIST answers get plaintext sizes and client-visible
 *   ETags unless `--list-sizes off` (listingStep.ts);
 * - RestoreObject (`refuse` with a body check): forwarded only if its bounded body is a plain restore
 *   (restoreObjectStep.ts);
 * - `refuse` and everything else: an S3 error before any byte of the body is read.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { toPipelineError } from "./encryptErrors.ts";
import { classifyOperation } from "../s3/classifyOperation.ts";
import { parseS3Endpoint } from "../s3/parseS3Endpoint.ts";
import type { S3Endpoint } from "../s3/S3Endpoint.ts";
import type { Exchange, InterceptStep } from "./Exchange.ts";
import { abortUpload } from "./multipartAbortStep.ts";
import { completeEncryptedUpload } from "./multipartCompleteStep.ts";
import { createEncryptedUpload } from "./multipartCreateStep.ts";
import { listUploadParts } from "./multipartListPartsStep.ts";
import { uploadEncryptedPart } from "./multipartPartStep.ts";
import { copyEncryptedPart } from "./multipartPartCopyStep.ts";
import { copyObject } from "./copyObjectStep.ts";
import { forwardResigned } from "./forwardResigned.ts";
import { getDecryptedObject } from "./objectGetStep.ts";
import { checkPresignedRequest } from "./presignedRequest.ts";
import { restoreObject } from "./restoreObjectStep.ts";
import { createPartSegmentsCache, type PartSegmentsCache } from "./partSegmentsCache.ts";
import { putEncryptedObject } from "./objectPutStep.ts";
import { listWithPlaintextSizes } from "./listingStep.ts";
import { getObjectAttributes } from "./objectAttributesStep.ts";
import { DEFAULT_LIST_SIZES } from "../listing/listSizesPolicy.ts";
import { createObjectFactsCache } from "../listing/objectFactsCache.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";

export function encryptingStep(deps: S3StepDeps): InterceptStep {
  const partSegments = createPartSegmentsCache();
  // Envelope facts of listed objects (listingStep.ts), shared by every listing and GetObjectAttributes.
  const objectFacts = createObjectFactsCache();
  const listSizes = deps.listSizes ?? DEFAULT_LIST_SIZES;
  return {
    async handle(ex: Exchange): Promise<void> {
      checkPresignedRequest(ex, (deps.now ?? Date.now)());
      const endpoint = parseS3Endpoint(ex.target.host, ex.path);
      const op = classifyOperation({ method: ex.req.method ?? "", endpoint, headers: ex.req.headers });
      if (op.action === "forward" && op.rewrite === "list-sizes" && listSizes !== "off") {
        const ctx = {
          operation: op.name,
          region: endpoint.region,
          bucket: endpoint.bucket,
          policy: listSizes,
        };
        return listWithPlaintextSizes(ex, deps, { ...ctx, cache: objectFacts }).catch((err: unknown) => {
          throw toPipelineError(err, true);
        });
      }
      if (op.action === "refuse" && op.bodyCheck === "restore-request") {
        return restoreObject(ex, deps, endpoint.region).catch((err: unknown) => {
          throw toPipelineError(err, false);
        });
      }
      if (op.action === "forward") {
        return forwardResigned(ex, deps, endpoint.region).catch((err: unknown) => {
          throw toPipelineError(err, false);
        });
      }
      if (op.action === "encrypt" && op.name === "PutObject") {
        return putEncryptedObject(ex, deps, endpoint.region).catch((err: unknown) => {
          throw toPipelineError(err, false);
        });
      }
      if (op.action === "decrypt" && (op.name === "GetObject" || op.name === "HeadObject")) {
        return getDecryptedObject(ex, deps, endpoint.region, op.partNumber, partSegments).catch(
          (err: unknown) => {
            throw toPipelineError(err, true);
          },
        );
      }
      if (op.action === "decrypt" && op.name === "GetObjectAttributes") {
        return getObjectAttributes(ex, deps, endpoint, objectFacts).catch((err: unknown) => {
          throw toPipelineError(err, true);
        });
      }
      if (op.action === "copy" && op.name === "CopyObject") {
        return copyObject(ex, deps, endpoint, partSegments).catch((err: unknown) => {
          throw toPipelineError(err, true);
        });
      }
      if (op.action === "multipart") {
        const multipart = multipartHandler(op.name, op.partNumber, partSegments);
        if (multipart !== undefined) {
          return multipart(ex, deps, endpoint).catch((err: unknown) => {
            throw toPipelineError(err, false);
          });
        }
      }
      ex.log.warn({ op: op.name, action: op.action }, "refused: operation not handled by the pipeline");
      throw new ProxyError(
        op.action === "refuse" ? op.refuseCode : "NotImplemented",
        op.action === "refuse"
          ? `${op.name} is not supported through s3proxy: ${op.reason}.`
          : `${op.name} is not supported through s3proxy yet.`,
      );
    },
  };
}

type MultipartHandler = (ex: Exchange, deps: S3StepDeps, endpoint: S3Endpoint) => Promise<void>;

function multipartHandler(
  name: string,
  partNumber: number | undefined,
  partSegments: PartSegmentsCache,
): MultipartHandler | undefined {
  switch (name) {
    case "CreateMultipartUpload":
      return (ex, deps, endpoint) => createEncryptedUpload(ex, deps, endpoint.region);
    case "UploadPart":
      return partNumber === undefined
        ? undefined
        : (ex, deps, endpoint) => uploadEncryptedPart(ex, deps, endpoint, partNumber);
    case "UploadPartCopy":
      return partNumber === undefined
        ? undefined
        : (ex, deps, endpoint) => copyEncryptedPart(ex, deps, endpoint, partNumber, partSegments);
    case "CompleteMultipartUpload":
      return completeEncryptedUpload;
    case "AbortMultipartUpload":
      return abortUpload;
    case "ListParts":
      return listUploadParts;
    default:
      return undefined;
  }
}
