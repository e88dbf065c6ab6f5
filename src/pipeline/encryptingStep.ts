/**
 * The default intercept step: s3proxy's encryption pipeline. Every intercepted request is parsed and
 * classified (src/s3/classifyOperation.ts, docs/OPERATIONS.md):
 * - `encrypt` (PutObject): body decoded, verified, encrypted, re-signed (objectPutStep.ts);
 * - `decrypt` (GetObject, HeadObject): re-signed, envelope opened, body decrypted (objectGetStep.ts);
 * - `forward`: operations that move no object data pass through unchanged with the client's own signature
 *   (re-signing them under a proxy identity comes with client authentication, a later issue);
 * - `refuse` and everything else: an S3 error before any byte of the body is read.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { toPipelineError } from "./encryptErrors.ts";
import { classifyOperation } from "../s3/classifyOperation.ts";
import { parseS3Endpoint } from "../s3/parseS3Endpoint.ts";
import type { Exchange, InterceptStep } from "./Exchange.ts";
import { getDecryptedObject } from "./objectGetStep.ts";
import { putEncryptedObject } from "./objectPutStep.ts";
import { passThroughStep } from "./passThroughStep.ts";
import type { S3StepDeps } from "./s3StepDeps.ts";

export function encryptingStep(deps: S3StepDeps): InterceptStep {
  const forward = passThroughStep({ continueTimeoutMs: deps.continueTimeoutMs });
  return {
    async handle(ex: Exchange): Promise<void> {
      const endpoint = parseS3Endpoint(ex.target.host, ex.path);
      const op = classifyOperation({ method: ex.req.method ?? "", endpoint, headers: ex.req.headers });
      if (op.action === "forward") return forward.handle(ex);
      if (op.action === "encrypt" && op.name === "PutObject") {
        return putEncryptedObject(ex, deps, endpoint.region).catch((err: unknown) => {
          throw toPipelineError(err, false);
        });
      }
      if (op.action === "decrypt" && (op.name === "GetObject" || op.name === "HeadObject")) {
        return getDecryptedObject(ex, deps, endpoint.region, op.partNumber).catch((err: unknown) => {
          throw toPipelineError(err, true);
        });
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
