/**
 * The exchange as the copy source's reads see it (src/pipeline/copySourceObject.ts copySourceView): path and
 * Host of the source, and the connection — the configured upstream endpoint, or, without one, the source's own
 * host (the proxy otherwise connects to the host the client named).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Exchange } from "../../src/pipeline/Exchange.ts";
import { copySourceView } from "../../src/pipeline/copySourceObject.ts";

function exchange(host: string, destinationHost: string): Exchange {
  return {
    req: { headers: { host } },
    target: { host: host.replace(/:\d+$/, ""), port: 443 },
    path: "/dst-key?x-id=CopyObject",
    destination: { protocol: "https:", host: destinationHost, port: 443, servername: destinationHost },
  } as unknown as Exchange;
}

void describe("copySourceView", () => {
  it("another virtual-hosted bucket, no upstream endpoint: connects to the source's host", () => {
    const ex = exchange("dst.s3.us-east-1.amazonaws.com", "dst.s3.us-east-1.amazonaws.com");
    const view = copySourceView(ex, { style: "virtual", bucket: "dst" }, "src/a%20b?versionId=v1");
    assert.equal(view.path, "/a%20b?versionId=v1");
    assert.equal(view.upstreamHost, "src.s3.us-east-1.amazonaws.com");
    assert.deepEqual(view.destination, {
      protocol: "https:",
      host: "src.s3.us-east-1.amazonaws.com",
      port: 443,
      servername: "src.s3.us-east-1.amazonaws.com",
    });
  });

  it("with --upstream-endpoint: same connection, the source's Host", () => {
    const ex = exchange("dst.s3.us-east-1.amazonaws.com", "127.0.0.1");
    const view = copySourceView(ex, { style: "virtual", bucket: "dst" }, "/src/k");
    assert.equal(view.upstreamHost, "src.s3.us-east-1.amazonaws.com");
    assert.equal(view.destination, ex.destination);
  });

  it("the same bucket, or path-style: the client's Host and connection", () => {
    const vhost = exchange("dst.s3.us-east-1.amazonaws.com", "dst.s3.us-east-1.amazonaws.com");
    const same = copySourceView(vhost, { style: "virtual", bucket: "dst" }, "dst/other");
    assert.equal(same.upstreamHost, undefined);
    assert.equal(same.path, "/other");
    const path = exchange("s3.us-east-1.amazonaws.com", "s3.us-east-1.amazonaws.com");
    const view = copySourceView(path, { style: "path", bucket: "dst" }, "src/k");
    assert.equal(view.upstreamHost, undefined);
    assert.equal(view.path, "/src/k");
    assert.equal(view.destination, path.destination);
  });
});
