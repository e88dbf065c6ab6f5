/** Every error code the proxy can produce is documented in docs/ERRORS.md with its status (fastify's rule). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ERROR_CODES } from "../../src/errors/errorCodes.ts";
import { ProxyError, toProxyError } from "../../src/errors/ProxyError.ts";
import { s3ErrorXml } from "../../src/http/errorResponse.ts";

const doc = readFileSync(new URL("../../docs/ERRORS.md", import.meta.url), "utf8");

describe("error codes", () => {
  it("are all documented with their HTTP status", () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      const row = new RegExp(`^\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`, "m");
      assert.match(doc, row, `docs/ERRORS.md lacks a row for ${code} (${status})`);
    }
  });

  it("documents no code that does not exist", () => {
    const documented = [...doc.matchAll(/^\|\s*`([A-Za-z]+)`\s*\|/gm)].map((m) => m[1]);
    assert.deepEqual(
      documented.filter((c) => !(c! in ERROR_CODES)),
      [],
    );
  });

  it("unknown failures become InternalError without leaking their message", () => {
    const err = toProxyError(new Error("secret internal detail"));
    assert.equal(err.code, "InternalError");
    assert.equal(err.status, 500);
    assert.doesNotMatch(s3ErrorXml(err, "/b/k", "R1"), /secret internal detail/);
  });

  it("render as S3 XML with escaped content", () => {
    const xml = s3ErrorXml(new ProxyError("InvalidArgument", "bad <value> & more"), "/b/k&<x>", "ABC");
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code>' +
        "<Message>bad &lt;value&gt; &amp; more</Message><Resource>/b/k&amp;&lt;x&gt;</Resource>" +
        "<RequestId>ABC</RequestId></Error>",
    );
  });
});
