/**
 * The default intercept step until the encryption pipeline is wired in: every intercepted request is parsed
 * and classified (src/s3/classifyOperation.ts); operations that move no object data are forwarded unchanged,
 * everything else — uploads, downloads, copies, unknown operations — is refused with an S3 error before any
 * byte of its body is read. So a default proxy can never store plaintext objects, only fail to serve them.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { classifyOperation } from "../s3/classifyOperation.ts";
import { parseS3Endpoint } from "../s3/parseS3Endpoint.ts";
import type { Exchange, InterceptStep } from "./Exchange.ts";
import { passThroughStep } from "./passThroughStep.ts";

export function failClosedStep(options: { continueTimeoutMs: number }): InterceptStep {
  const forward = passThroughStep(options);
  return {
    async handle(ex: Exchange): Promise<void> {
      const endpoint = parseS3Endpoint(ex.target.host, ex.path);
      const op = classifyOperation({ method: ex.req.method ?? "", endpoint, headers: ex.req.headers });
      if (op.action === "forward") return forward.handle(ex);
      ex.log.warn({ op: op.name, action: op.action }, "refused: object data operation without encryption");
      throw new ProxyError(
        op.action === "refuse" ? op.refuseCode : "NotImplemented",
        op.action === "refuse"
          ? `${op.name} is not supported through s3proxy: ${op.reason}.`
          : `${op.name} needs the encryption pipeline, which this s3proxy build does not run.`,
      );
    },
  };
}
