import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildInterceptMatcher } from "../../src/net/hostPatterns.ts";

describe("default S3 intercept patterns", () => {
  const match = buildInterceptMatcher([]);
  it("match every S3 data-plane host form", () => {
    for (const host of [
      "s3.amazonaws.com",
      "bucket.s3.amazonaws.com",
      "my.dotted.bucket.s3.amazonaws.com",
      "s3.us-east-1.amazonaws.com",
      "bucket.s3.eu-central-1.amazonaws.com",
      "bucket.s3-eu-west-1.amazonaws.com",
      "s3-external-1.amazonaws.com",
      "bucket.s3.dualstack.us-west-2.amazonaws.com",
      "bucket.s3-fips.us-east-1.amazonaws.com",
      "bucket.s3-fips.dualstack.us-gov-west-1.amazonaws.com",
      "ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com",
      "ap-123456789012.s3-accesspoint.dualstack.us-east-1.amazonaws.com",
      "olap-123456789012.s3-object-lambda.us-east-1.amazonaws.com",
      "bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com",
      "bucket.s3.cn-north-1.amazonaws.com.cn",
    ]) {
      assert.equal(match(host), true, host);
    }
  });
  it("leave everything else alone", () => {
    for (const host of [
      "sts.amazonaws.com",
      "kms.us-east-1.amazonaws.com",
      "123456789012.s3-control.us-east-1.amazonaws.com",
      "bucket.s3-website-us-east-1.amazonaws.com",
      "s3.amazonaws.com.evil.example",
      "evils3.amazonaws.com",
      "example.com",
      "localhost",
    ]) {
      assert.equal(match(host), false, host);
    }
  });
});

describe("user intercept patterns", () => {
  it("supports exact names and *.suffix (one or more labels)", () => {
    const match = buildInterceptMatcher(["minio.internal", "*.objects.example"], false);
    assert.equal(match("minio.internal"), true);
    assert.equal(match("x.minio.internal"), false);
    assert.equal(match("a.objects.example"), true);
    assert.equal(match("a.b.objects.example"), true);
    assert.equal(match("objects.example"), false);
    assert.equal(match("bucket.s3.amazonaws.com"), false, "defaults disabled");
  });
  it("rejects patterns that are not host globs", () => {
    assert.throws(() => buildInterceptMatcher(["a*b.com"]));
    assert.throws(() => buildInterceptMatcher(["a..b"]));
  });
});
