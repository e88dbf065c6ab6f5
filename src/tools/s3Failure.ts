/**
 * An SDK error of one S3 request as a ToolError: 412 (an If-Match / x-amz-copy-source-if-match that no longer
 * holds, https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html) is ObjectChanged, everything
 * else S3RequestFailed, naming the operation, the object, the HTTP status and S3's error code.
 */
import { ToolError } from "./ToolError.ts";

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export function httpStatusOf(err: unknown): number | undefined {
  const status = (err as SdkErrorShape | null)?.$metadata?.httpStatusCode;
  return typeof status === "number" ? status : undefined;
}

export function isNotFound(err: unknown): boolean {
  const name = (err as SdkErrorShape | null)?.name;
  return httpStatusOf(err) === 404 || name === "NotFound" || name === "NoSuchKey";
}

export function isPreconditionFailed(err: unknown): boolean {
  return httpStatusOf(err) === 412 || (err as SdkErrorShape | null)?.name === "PreconditionFailed";
}

export function s3Failure(operation: string, object: string, err: unknown): ToolError {
  if (err instanceof ToolError) return err;
  if (isPreconditionFailed(err)) {
    return new ToolError("ObjectChanged", `${operation} ${object}: the object changed meanwhile (412)`, {
      cause: err,
    });
  }
  const status = httpStatusOf(err);
  const shape = err as SdkErrorShape | null;
  const name = typeof shape?.name === "string" ? shape.name : "Error";
  const message = typeof shape?.message === "string" && shape.message !== name ? `: ${shape.message}` : "";
  return new ToolError(
    "S3RequestFailed",
    `${operation} ${object} failed${status === undefined ? "" : ` (${status})`}: ${name}${message}`,
    { cause: err },
  );
}
