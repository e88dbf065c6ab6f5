import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildInterceptMatcher } from "../../src/net/hostPatterns.ts";
import { decideRoute, parseAllowPorts } from "../../src/net/routePolicy.ts";

const policy = {
  intercept: buildInterceptMatcher([]),
  allowPorts: parseAllowPorts("443,80"),
  selfAuthorities: [{ host: "127.0.0.1", port: 8080 }],
};

describe("decideRoute", () => {
  it("intercepts S3, tunnels the rest, refuses ports and loops", () => {
    assert.deepEqual(decideRoute({ host: "b.s3.amazonaws.com", port: 443 }, policy), { action: "intercept" });
    assert.deepEqual(decideRoute({ host: "example.com", port: 443 }, policy), { action: "tunnel" });
    assert.equal(decideRoute({ host: "example.com", port: 22 }, policy).action, "refuse");
    const loop = decideRoute({ host: "127.0.0.1", port: 8080 }, { ...policy, allowPorts: null });
    assert.equal(loop.action === "refuse" && loop.code, "ProxyLoopDetected");
  });
});

describe("parseAllowPorts", () => {
  it("parses lists and *", () => {
    assert.deepEqual([...(parseAllowPorts(" 443, 8443 ") ?? [])], [443, 8443]);
    assert.equal(parseAllowPorts("*"), null);
    assert.throws(() => parseAllowPorts("443,x"));
    assert.throws(() => parseAllowPorts("0"));
  });
});
