/**
 * KMS failures as key provider errors: what is retried (throttling, 5xx, network, timeouts), what is a missing
 * or unusable key, and what is a refused unwrap. The errors are shaped like @aws-sdk/client-kms's (name, $fault,
 * $metadata) and Node's network errors (code); kmsOutage.test.ts checks the real SDK's errors end to end.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { DekUnwrapError, KekNotFoundError, KeyProviderUnavailableError } from "../../src/keys/errors.ts";
import { classifyKmsError, kmsKeyError, type KmsFailure } from "../../src/keys/kmsKeyError.ts";

function sdkError(name: string, status: number, fault: "client" | "server", message = "m"): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status, requestId: "req-1234" },
    $response: { body: "raw response the log must not get" },
  });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:4566`), { code });
}

const CASES: Array<[string, unknown, KmsFailure]> = [
  ["ThrottlingException", sdkError("ThrottlingException", 400, "client"), "throttled"],
  ["HTTP 429", sdkError("TooManyRequests", 429, "client"), "throttled"],
  ["KMSInternalException", sdkError("KMSInternalException", 500, "server"), "unavailable"],
  ["DependencyTimeoutException", sdkError("DependencyTimeoutException", 503, "server"), "unavailable"],
  ["KeyUnavailableException", sdkError("KeyUnavailableException", 500, "server"), "unavailable"],
  ["an unknown 502", sdkError("BadGateway", 502, "server"), "unavailable"],
  ["ECONNREFUSED", networkError("ECONNREFUSED"), "unavailable"],
  ["ECONNRESET", networkError("ECONNRESET"), "unavailable"],
  ["EAI_AGAIN", networkError("EAI_AGAIN"), "unavailable"],
  [
    "the SDK's request timeout",
    Object.assign(new Error("request timed out"), { name: "TimeoutError", code: "ETIMEDOUT" }),
    "unavailable",
  ],
  [
    "no credentials",
    Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" }),
    "unavailable",
  ],
  ["NotFoundException", sdkError("NotFoundException", 400, "client"), "key-unusable"],
  ["DisabledException", sdkError("DisabledException", 400, "client"), "key-unusable"],
  ["KMSInvalidStateException", sdkError("KMSInvalidStateException", 400, "client"), "key-unusable"],
  ["InvalidCiphertextException", sdkError("InvalidCiphertextException", 400, "client"), "refused"],
  ["IncorrectKeyException", sdkError("IncorrectKeyException", 400, "client"), "refused"],
  ["AccessDeniedException", sdkError("AccessDeniedException", 400, "client"), "refused"],
  ["an unknown client fault", sdkError("ValidationException", 400, "client"), "refused"],
  ["a bug", new TypeError("x is undefined"), "unknown"],
  ["not an error", "boom", "unknown"],
];

void describe("classifyKmsError", () => {
  for (const [name, err, expected] of CASES) {
    it(`${name} is ${expected}`, () => assert.equal(classifyKmsError(err), expected));
  }
});

void describe("kmsKeyError", () => {
  const ref = "kms:arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  it("makes transient failures retryable KeyProviderUnavailable, throttling flagged", () => {
    const throttled = kmsKeyError(sdkError("ThrottlingException", 400, "client"), "Decrypt", ref);
    assert.ok(throttled instanceof KeyProviderUnavailableError && throttled.throttled && throttled.retryable);
    const down = kmsKeyError(networkError("ECONNREFUSED"), "Encrypt", ref);
    assert.ok(down instanceof KeyProviderUnavailableError && !down.throttled);
    assert.match(
      down.message,
      /KMS Encrypt under "kms:arn:.*" failed: Error ECONNREFUSED: connect ECONNREFUSED/,
    );
  });

  it("makes a missing, disabled or pending-deletion key KekNotFound", () => {
    for (const name of ["NotFoundException", "DisabledException", "KMSInvalidStateException"]) {
      for (const op of ["Decrypt", "Encrypt"] as const) {
        const err = kmsKeyError(sdkError(name, 400, "client"), op, ref);
        assert.ok(err instanceof KekNotFoundError && err.kekRef === ref && !err.retryable, `${name} ${op}`);
      }
    }
  });

  it("makes a refused Decrypt DekUnwrapFailed, and a refused wrap KekNotFound", () => {
    for (const name of ["InvalidCiphertextException", "IncorrectKeyException", "AccessDeniedException"]) {
      const unwrap = kmsKeyError(sdkError(name, 400, "client"), "Decrypt", ref);
      assert.ok(unwrap instanceof DekUnwrapError && !unwrap.retryable, name);
      assert.ok(kmsKeyError(sdkError(name, 400, "client"), "Encrypt", ref) instanceof KekNotFoundError);
      assert.ok(
        kmsKeyError(sdkError(name, 400, "client"), "GenerateDataKey", ref) instanceof KekNotFoundError,
      );
    }
  });

  it("names the KMS error, status and request id, and keeps not the SDK's error with its raw response", () => {
    const original = sdkError("AccessDeniedException", 400, "client", "not authorized");
    const err = kmsKeyError(original, "Decrypt", ref) as Error;
    assert.equal(
      err.message,
      `KMS Decrypt under "${ref}" failed: AccessDeniedException (HTTP 400, request id req-1234): not authorized`,
    );
    assert.equal(err.cause, undefined);
    assert.doesNotMatch(inspect(err, { depth: 8 }), /raw response/);
  });

  it("returns errors that are no KMS or network failure unchanged", () => {
    const bug = new TypeError("x is undefined");
    assert.equal(kmsKeyError(bug, "Decrypt", ref), bug);
  });
});
