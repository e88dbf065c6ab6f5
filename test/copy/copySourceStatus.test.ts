/** A copy source the proxy could not HEAD: S3's codes for the same situation (src/copy/copySourceStatus.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { copySourceUnavailable } from "../../src/copy/copySourceStatus.ts";

void describe("copySourceUnavailable", () => {
  it("maps the HEAD's status", () => {
    const code = (status: number, headers = {}) => {
      const err = copySourceUnavailable(status, headers);
      return [err.code, err.status];
    };
    assert.deepEqual(code(404), ["NoSuchKey", 404]);
    assert.deepEqual(code(403), ["AccessDenied", 403]);
    assert.deepEqual(code(405), ["InvalidRequest", 400]);
    assert.deepEqual(code(400), ["InvalidRequest", 400]);
    assert.deepEqual(code(301), ["InvalidRequest", 400]);
    assert.deepEqual(code(503), ["ServiceUnavailable", 503]);
    assert.deepEqual(code(302), ["ProxyUpstreamFailed", 502]);
  });

  it("names the source's region when the upstream says it is elsewhere", () => {
    const err = copySourceUnavailable(400, { "x-amz-bucket-region": "eu-west-1" });
    assert.match(err.message, /another region \(eu-west-1\)/);
  });
});
