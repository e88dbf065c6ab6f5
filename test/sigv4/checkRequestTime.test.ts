import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { checkRequestTime, MAX_CLOCK_SKEW_MS } from "../../src/sigv4/checkRequestTime.ts";
import type { ClientAuth } from "../../src/sigv4/parseClientAuth.ts";

const T = Date.parse("2026-11-26T12:00:00Z");
const base: ClientAuth = {
  mode: "query",
  accessKeyId: "AKID",
  date: "20261126",
  region: "us-east-1",
  service: "s3",
  timestamp: "20261126T120000Z",
  timestampMs: T,
  signedHeaders: ["host"],
  signature: "0".repeat(64),
  expiresSeconds: 300,
};

function code(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (err) {
    return err instanceof ProxyError ? `${err.code}: ${err.message}` : String(err);
  }
}

void describe("checkRequestTime", () => {
  it("presigned: valid from X-Amz-Date (15 min early allowed) until X-Amz-Date + X-Amz-Expires", () => {
    assert.equal(checkRequestTime(base, T)?.getTime(), T + 300_000);
    assert.equal(
      code(() => checkRequestTime(base, T + 299_999)),
      "ok",
    );
    assert.equal(
      code(() => checkRequestTime(base, T + 300_000)),
      "AccessDenied: Request has expired",
    );
    assert.equal(
      code(() => checkRequestTime(base, T - MAX_CLOCK_SKEW_MS)),
      "ok",
    );
    assert.equal(
      code(() => checkRequestTime(base, T - MAX_CLOCK_SKEW_MS - 1)),
      "AccessDenied: Request is not yet valid",
    );
  });

  it("header auth: within 15 minutes either way", () => {
    const header: ClientAuth = { ...base, mode: "header" };
    assert.equal(checkRequestTime(header, T + MAX_CLOCK_SKEW_MS), undefined);
    assert.match(
      code(() => checkRequestTime(header, T + MAX_CLOCK_SKEW_MS + 1)),
      /^RequestTimeTooSkewed/,
    );
    assert.match(
      code(() => checkRequestTime(header, T - MAX_CLOCK_SKEW_MS - 1)),
      /^RequestTimeTooSkewed/,
    );
  });
});
