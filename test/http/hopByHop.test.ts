import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countHeader, rawHeader, stripHopByHop } from "../../src/http/hopByHop.ts";
import { assertUnambiguousFraming } from "../../src/http/requestGuards.ts";

describe("stripHopByHop", () => {
  it("drops the fixed set and names listed in Connection, keeping case, order and repeats", () => {
    const raw = [
      "Host", "b.s3.amazonaws.com",
      "Connection", "keep-alive, X-Hop",
      "X-Hop", "1",
      "Proxy-Authorization", "Basic x",
      "Transfer-Encoding", "chunked",
      "x-amz-meta-A", "1",
      "X-Amz-Meta-a", "2",
      "Keep-Alive", "timeout=5",
    ]; // prettier-ignore
    assert.deepEqual(stripHopByHop(raw), [
      "Host",
      "b.s3.amazonaws.com",
      "x-amz-meta-A",
      "1",
      "X-Amz-Meta-a",
      "2",
    ]);
    assert.deepEqual(stripHopByHop(raw, new Set(["host"])), ["x-amz-meta-A", "1", "X-Amz-Meta-a", "2"]);
    assert.equal(rawHeader(raw, "x-amz-meta-a"), "1");
    assert.equal(countHeader(raw, "X-AMZ-META-A"), 2);
  });
});

describe("assertUnambiguousFraming", () => {
  it("rejects duplicate Host and Content-Length", () => {
    assert.throws(() => assertUnambiguousFraming(["Host", "a", "host", "b"]), /Multiple Host/);
    assert.throws(
      () => assertUnambiguousFraming(["Content-Length", "1", "content-length", "1"]),
      /Content-Length/,
    );
    assertUnambiguousFraming(["Host", "a", "Content-Length", "1"]);
  });
});
