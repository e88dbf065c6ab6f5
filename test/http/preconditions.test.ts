import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  evaluatePreconditions,
  hasPreconditions,
  parseEtagList,
  parseHttpDate,
  readPreconditions,
} from "../../src/http/preconditions.ts";

const ETAG = '"abc"';
const LM = Date.parse("Wed, 25 Nov 2026 10:00:00 GMT");
const current = { etag: ETAG, lastModified: LM };
const before = "Tue, 24 Nov 2026 10:00:00 GMT";
const after = "Thu, 26 Nov 2026 10:00:00 GMT";
const at = "Wed, 25 Nov 2026 10:00:00 GMT";

function outcome(headers: Record<string, string>, method = "GET"): string {
  return evaluatePreconditions(readPreconditions(headers), current, method);
}

void describe("parseEtagList (RFC 9110 §8.8.3, §13.1.1)", () => {
  it("reads *, quoted, weak and S3's bare tags", () => {
    assert.equal(parseEtagList(" * "), "*");
    assert.deepEqual(parseEtagList('"a", W/"b" ,"c-1"'), ['"a"', 'W/"b"', '"c-1"']);
    assert.deepEqual(parseEtagList("abc"), ['"abc"']);
    assert.deepEqual(parseEtagList('""'), ['""']);
  });
});

void describe("parseHttpDate", () => {
  it("takes IMF-fixdate and ignores what is not a date (RFC 9110 §13.1.3: ignore invalid)", () => {
    assert.equal(parseHttpDate(at), LM);
    assert.equal(parseHttpDate("yesterday"), undefined);
    assert.equal(parseHttpDate(undefined), undefined);
    assert.equal(hasPreconditions(readPreconditions({ "if-modified-since": "garbage" })), false);
  });
});

void describe("evaluatePreconditions (RFC 9110 §13.2.2)", () => {
  it("If-Match: strong comparison, * matches an existing object", () => {
    assert.equal(outcome({ "if-match": ETAG }), "proceed");
    assert.equal(outcome({ "if-match": '"x", "abc"' }), "proceed");
    assert.equal(outcome({ "if-match": "abc" }), "proceed");
    assert.equal(outcome({ "if-match": "*" }), "proceed");
    assert.equal(outcome({ "if-match": '"x"' }), "precondition-failed");
    assert.equal(outcome({ "if-match": 'W/"abc"' }), "precondition-failed");
  });

  it("If-None-Match: weak comparison, 304 for GET/HEAD and 412 for writes", () => {
    assert.equal(outcome({ "if-none-match": ETAG }), "not-modified");
    assert.equal(outcome({ "if-none-match": 'W/"abc"' }, "HEAD"), "not-modified");
    assert.equal(outcome({ "if-none-match": "*" }), "not-modified");
    assert.equal(outcome({ "if-none-match": ETAG }, "PUT"), "precondition-failed");
    assert.equal(outcome({ "if-none-match": '"x"' }), "proceed");
  });

  it("dates: If-Unmodified-Since and If-Modified-Since at second precision", () => {
    assert.equal(outcome({ "if-unmodified-since": before }), "precondition-failed");
    assert.equal(outcome({ "if-unmodified-since": at }), "proceed");
    assert.equal(outcome({ "if-modified-since": at }), "not-modified");
    assert.equal(outcome({ "if-modified-since": after }), "not-modified");
    assert.equal(outcome({ "if-modified-since": before }), "proceed");
    assert.equal(outcome({ "if-modified-since": after }, "PUT"), "proceed");
  });

  it("S3's documented pairs: If-Match wins over If-Unmodified-Since, If-None-Match over If-Modified-Since", () => {
    assert.equal(outcome({ "if-match": ETAG, "if-unmodified-since": before }), "proceed");
    assert.equal(outcome({ "if-none-match": ETAG, "if-modified-since": before }), "not-modified");
    assert.equal(outcome({ "if-none-match": '"x"', "if-modified-since": after }), "proceed");
    assert.equal(outcome({ "if-match": '"x"', "if-none-match": '"y"' }), "precondition-failed");
  });

  it("without a Last-Modified, date conditions cannot fail", () => {
    const p = readPreconditions({ "if-unmodified-since": before, "if-modified-since": after });
    assert.equal(evaluatePreconditions(p, { etag: ETAG, lastModified: undefined }, "GET"), "proceed");
  });
});
