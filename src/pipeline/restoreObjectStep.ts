/**
 * RestoreObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_RestoreObject.html): a plain restore of an
 * archived object moves no data through the proxy and is forwarded; a SELECT-type restore runs S3 Select over
 * the stored ciphertext and writes the output elsewhere, so it is refused. Which one it is lies in the body, so
 * the (small, bounded) document is read and checked (src/s3/checkRestoreRequest.ts) before anything goes
 * upstream.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { checkRestoreRequest, MAX_RESTORE_REQUEST_BYTES } from "../s3/checkRestoreRequest.ts";
import { createBodyDecoding } from "../s3body/createBodyDecoding.ts";
import { parsePayloadMode } from "../s3body/parsePayloadMode.ts";
import type { Exchange } from "./Exchange.ts";
import { forwardCheckedDocument } from "./forwardResigned.ts";
import { readBoundedBody } from "./readBoundedBody.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";

export async function restoreObject(
  ex: Exchange,
  deps: S3StepDeps,
  region: string | undefined,
): Promise<void> {
  const raw = ex.req.rawHeaders;
  const mode = parsePayloadMode(raw, { maxLength: MAX_RESTORE_REQUEST_BYTES });
  if (ex.expectContinue) ex.res.writeContinue();
  const document = await readBoundedBody(
    ex.req,
    createBodyDecoding(mode, raw).transforms,
    MAX_RESTORE_REQUEST_BYTES,
  );
  const check = checkRestoreRequest(document.toString("utf8"));
  if (check.action === "refuse") throw new ProxyError(check.refuseCode, `${check.reason}.`);
  await forwardCheckedDocument(ex, deps, region, mode, document);
}
