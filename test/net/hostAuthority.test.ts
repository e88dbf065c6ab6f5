import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import {
  formatAuthority,
  isValidHostname,
  parseConnectAuthority,
  parseHostHeader,
} from "../../src/net/hostAuthority.ts";

const refused = (fn: () => unknown): void =>
  assert.throws(fn, (e: unknown) => e instanceof ProxyError && e.code === "ProxyBadAuthority");

describe("parseConnectAuthority", () => {
  it("accepts names, IPv4 and bracketed IPv6, lowercasing names", () => {
    assert.deepEqual(parseConnectAuthority("Bucket.S3.amazonaws.com:443"), {
      host: "bucket.s3.amazonaws.com",
      port: 443,
    });
    assert.deepEqual(parseConnectAuthority("127.0.0.1:8443"), { host: "127.0.0.1", port: 8443 });
    assert.deepEqual(parseConnectAuthority("[::1]:443"), { host: "::1", port: 443 });
    assert.deepEqual(parseConnectAuthority("my.dotted.bucket.s3.amazonaws.com.:443"), {
      host: "my.dotted.bucket.s3.amazonaws.com",
      port: 443,
    });
  });

  it("refuses path traversal, injection and malformed authorities", () => {
    for (const bad of [
      "../../x:443",
      "..:443",
      "a/b:443",
      "a\\b:443",
      "evil.com\r\nX-Injected: 1:443",
      "evil.com%0d%0aX:443",
      "user@host.com:443",
      "host.com",
      "host.com:",
      "host.com:0",
      "host.com:65536",
      "host.com:44a",
      "host com:443",
      ":443",
      "[::1:443",
      "[not-ip]:443",
      "1.2.3:443",
      "-leading.com:443",
      `${"a".repeat(64)}.com:443`,
      "",
    ]) {
      refused(() => parseConnectAuthority(bad));
    }
  });
});

describe("parseHostHeader", () => {
  it("applies the scheme's default port", () => {
    assert.deepEqual(parseHostHeader("b.s3.amazonaws.com", 443), { host: "b.s3.amazonaws.com", port: 443 });
    assert.deepEqual(parseHostHeader("b.s3.amazonaws.com:8443", 443), {
      host: "b.s3.amazonaws.com",
      port: 8443,
    });
  });
  it("refuses garbage", () => refused(() => parseHostHeader("a b", 80)));
});

describe("isValidHostname / formatAuthority", () => {
  it("knows hostname syntax", () => {
    assert.equal(isValidHostname("a-b.c_d.example"), true);
    assert.equal(isValidHostname("a..b"), false);
    assert.equal(isValidHostname("a.b-"), false);
  });
  it("brackets IPv6", () => {
    assert.equal(formatAuthority({ host: "::1", port: 443 }), "[::1]:443");
    assert.equal(formatAuthority({ host: "x.y", port: 1 }), "x.y:1");
  });
});
