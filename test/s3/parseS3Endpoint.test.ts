import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { buildInterceptMatcher } from "../../src/net/hostPatterns.ts";
import { parseS3Endpoint, type ParseS3EndpointOptions } from "../../src/s3/parseS3Endpoint.ts";
import { percentDecode } from "../../src/s3/percentDecode.ts";
import type { S3Endpoint } from "../../src/s3/S3Endpoint.ts";

type Expect = Partial<Pick<S3Endpoint, "style" | "bucket" | "key" | "region" | "accountId" | "rawKeyPath">>;

function check(host: string, target: string, expected: Expect, options?: ParseS3EndpointOptions): S3Endpoint {
  const got = parseS3Endpoint(host, target, options);
  const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, got[k as keyof S3Endpoint]]));
  assert.deepEqual(picked, expected, `${host} ${target}`);
  return got;
}

function assertCode(code: string, fn: () => unknown): void {
  assert.throws(fn, (err: unknown) => err instanceof ProxyError && err.code === code);
}

describe("parseS3Endpoint: AWS host forms", () => {
  const cases: [host: string, target: string, expected: Expect][] = [
    // path-style, global and regional
    ["s3.amazonaws.com", "/bucket/key", { style: "path", bucket: "bucket", key: "key", region: "us-east-1" }],
    ["s3.amazonaws.com", "/", { style: "path", bucket: undefined, key: undefined, region: "us-east-1" }],
    ["s3.amazonaws.com", "/bucket", { style: "path", bucket: "bucket", key: undefined }],
    ["s3.amazonaws.com", "/bucket/", { style: "path", bucket: "bucket", key: undefined }],
    [
      "s3.eu-central-1.amazonaws.com",
      "/b/k",
      { style: "path", bucket: "b", key: "k", region: "eu-central-1" },
    ],
    ["s3-external-1.amazonaws.com", "/b/k", { style: "path", bucket: "b", region: "us-east-1" }],
    ["s3-eu-west-1.amazonaws.com", "/b/k", { style: "path", bucket: "b", region: "eu-west-1" }],
    ["s3.dualstack.us-west-2.amazonaws.com", "/b/k", { style: "path", bucket: "b", region: "us-west-2" }],
    ["s3-fips.us-gov-west-1.amazonaws.com", "/b/k", { style: "path", bucket: "b", region: "us-gov-west-1" }],
    // virtual-hosted
    [
      "bucket.s3.amazonaws.com",
      "/key",
      { style: "virtual", bucket: "bucket", key: "key", region: "us-east-1" },
    ],
    ["bucket.s3.amazonaws.com", "/", { style: "virtual", bucket: "bucket", key: undefined }],
    ["bucket.s3.us-east-1.amazonaws.com", "/a/b", { style: "virtual", bucket: "bucket", key: "a/b" }],
    ["bucket.s3.ap-southeast-2.amazonaws.com", "/k", { bucket: "bucket", region: "ap-southeast-2" }],
    ["bucket.s3-eu-west-1.amazonaws.com", "/k", { style: "virtual", bucket: "bucket", region: "eu-west-1" }],
    ["bucket.s3-external-1.amazonaws.com", "/k", { style: "virtual", bucket: "bucket", region: "us-east-1" }],
    [
      "bucket.s3.dualstack.eu-west-1.amazonaws.com",
      "/k",
      { style: "virtual", bucket: "bucket", region: "eu-west-1" },
    ],
    [
      "bucket.s3-fips.us-east-1.amazonaws.com",
      "/k",
      { style: "virtual", bucket: "bucket", region: "us-east-1" },
    ],
    [
      "bucket.s3-fips.dualstack.us-gov-east-1.amazonaws.com",
      "/k",
      { bucket: "bucket", region: "us-gov-east-1" },
    ],
    [
      "bucket.s3.cn-north-1.amazonaws.com.cn",
      "/k",
      { style: "virtual", bucket: "bucket", region: "cn-north-1" },
    ],
    ["s3.cn-northwest-1.amazonaws.com.cn", "/b/k", { style: "path", bucket: "b", region: "cn-northwest-1" }],
    ["bucket.s3.amazonaws.com.cn", "/k", { bucket: "bucket", region: undefined }],
    // dotted bucket names: the bucket is everything before the rightmost service name
    ["my.dotted.bucket.s3.amazonaws.com", "/k", { style: "virtual", bucket: "my.dotted.bucket" }],
    ["my.s3.bucket.s3.us-east-1.amazonaws.com", "/k", { bucket: "my.s3.bucket", region: "us-east-1" }],
    ["a.s3-eu-west-1.s3.amazonaws.com", "/k", { bucket: "a.s3-eu-west-1", region: "us-east-1" }],
    ["s3.s3.amazonaws.com", "/k", { style: "virtual", bucket: "s3" }],
    ["www.example.com.s3-us-west-2.amazonaws.com", "/k", { bucket: "www.example.com", region: "us-west-2" }],
    // access points
    [
      "finance-docs-123456789012.s3-accesspoint.us-east-1.amazonaws.com",
      "/reports/q1.pdf",
      {
        style: "access-point",
        bucket: "finance-docs-123456789012",
        accountId: "123456789012",
        key: "reports/q1.pdf",
        region: "us-east-1",
      },
    ],
    ["ap-123456789012.s3-accesspoint.dualstack.eu-west-1.amazonaws.com", "/k", { style: "access-point" }],
    ["ap-123456789012.s3-accesspoint-fips.us-gov-west-1.amazonaws.com", "/k", { region: "us-gov-west-1" }],
    // Object Lambda (access point name, and the WriteGetObjectResponse request route)
    [
      "olap-123456789012.s3-object-lambda.us-east-1.amazonaws.com",
      "/k",
      { style: "object-lambda", bucket: "olap-123456789012", accountId: "123456789012", key: "k" },
    ],
    [
      "io-use1-001.s3-object-lambda.us-east-1.amazonaws.com",
      "/WriteGetObjectResponse",
      { style: "object-lambda", bucket: "io-use1-001", accountId: undefined, key: "WriteGetObjectResponse" },
    ],
    // S3 Express One Zone
    [
      "bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com",
      "/k",
      { style: "s3express", bucket: "bucket--usw2-az1--x-s3", key: "k", region: "us-west-2" },
    ],
    [
      "s3express-control.us-west-2.amazonaws.com",
      "/bucket--usw2-az1--x-s3",
      { style: "s3express", bucket: "bucket--usw2-az1--x-s3", key: undefined, region: "us-west-2" },
    ],
    ["s3express-control.us-west-2.amazonaws.com", "/", { style: "s3express", bucket: undefined }],
  ];

  for (const [host, target, expected] of cases) {
    it(`${host} ${target}`, () => {
      check(host, target, expected);
    });
  }

  it("parses every host the default intercept patterns accept that names an S3 endpoint", () => {
    const intercept = buildInterceptMatcher([]);
    for (const [host] of cases) assert.equal(intercept(host), true, host);
  });

  it("refuses AWS names that are not S3 data-plane endpoints", () => {
    for (const host of [
      "sts.amazonaws.com",
      "bucket.s3-website-us-east-1.amazonaws.com",
      "bucket.s3-website.eu-west-1.amazonaws.com",
      "123456789012.s3-control.us-east-1.amazonaws.com",
      "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com",
      "s3.dualstack.amazonaws.com",
      "s3-fips.amazonaws.com",
      "amazonaws.com",
      // access points and Object Lambda are virtual-hosted only
      "s3-accesspoint.us-east-1.amazonaws.com",
      "s3-object-lambda.us-east-1.amazonaws.com",
      // a zonal bucket prefix on the regional control endpoint
      "bucket--usw2-az1--x-s3.s3express-control.us-west-2.amazonaws.com",
    ]) {
      assertCode("ProxyUnsupportedEndpoint", () => parseS3Endpoint(host, "/"));
    }
  });
});

describe("parseS3Endpoint: custom endpoints", () => {
  it("treats any other host as path-style, with no region", () => {
    check("minio.internal", "/photos/cat.jpg", {
      style: "path",
      bucket: "photos",
      key: "cat.jpg",
      region: undefined,
    });
    check("127.0.0.1", "/b/k", { style: "path", bucket: "b", key: "k" });
    check("::1", "/b/k", { style: "path", bucket: "b" });
    check("photos.minio.internal", "/cat.jpg", { style: "path", bucket: "cat.jpg", key: undefined });
  });

  it("reads <bucket>.<base> as virtual-hosted for a configured base host", () => {
    const options = { virtualHostBases: ["minio.internal", "objects.example"] };
    check(
      "photos.minio.internal",
      "/cat.jpg",
      { style: "virtual", bucket: "photos", key: "cat.jpg" },
      options,
    );
    check("my.dotted.bucket.minio.internal", "/k", { bucket: "my.dotted.bucket" }, options);
    check("minio.internal", "/photos/cat.jpg", { style: "path", bucket: "photos" }, options);
    check("photos.notminio.internal", "/k", { style: "path", bucket: "k" }, options);
    check("xminio.internal", "/b/k", { style: "path", bucket: "b" }, options);
  });

  it("prefers the longest matching base", () => {
    const options = { virtualHostBases: ["example", "s3.example"] };
    check("b.s3.example", "/k", { style: "virtual", bucket: "b" }, options);
  });

  it("lets pathStyleHosts override a base", () => {
    const options = {
      virtualHostBases: ["example.com"],
      pathStyleHosts: buildInterceptMatcher(["s3.example.com"], false),
    };
    check("s3.example.com", "/b/k", { style: "path", bucket: "b", key: "k" }, options);
    check("b.example.com", "/k", { style: "virtual", bucket: "b", key: "k" }, options);
  });

  it("never applies custom options to AWS names", () => {
    const options = { pathStyleHosts: () => true, virtualHostBases: ["amazonaws.com"] };
    check("bucket.s3.amazonaws.com", "/k", { style: "virtual", bucket: "bucket", key: "k" }, options);
  });
});

describe("parseS3Endpoint: keys", () => {
  const vhost = "bucket.s3.us-east-1.amazonaws.com";
  const cases: [target: string, key: string | undefined, rawKeyPath: string][] = [
    ["/a/../b", "a/../b", "a/../b"],
    ["/./x", "./x", "./x"],
    ["/..", "..", ".."],
    ["//double//slash", "/double//slash", "/double//slash"],
    ["/dir/", "dir/", "dir/"],
    ["/a+b", "a+b", "a+b"],
    ["/a%2Bb", "a+b", "a%2Bb"],
    ["/a%20b", "a b", "a%20b"],
    ["/a%2Fb", "a/b", "a%2Fb"],
    ["/100%25", "100%", "100%25"],
    ["/%E2%82%AC/%F0%9F%98%80", "€/😀", "%E2%82%AC/%F0%9F%98%80"],
    ["/k?versionId=1", "k", "k"],
    ["/k?", "k", "k"],
    ["/", undefined, ""],
  ];
  for (const [target, key, rawKeyPath] of cases) {
    it(`virtual-hosted ${target} is key ${JSON.stringify(key)}`, () => {
      check(vhost, target, { key, rawKeyPath });
    });
    it(`path-style /bucket${target} is key ${JSON.stringify(key)}`, () => {
      if (target === "/") return; // "/bucket/" is the bucket itself
      check("s3.amazonaws.com", `/bucket${target}`, { bucket: "bucket", key, rawKeyPath });
    });
  }

  it("keeps the raw path and query as sent", () => {
    const e = parseS3Endpoint(vhost, "/a%2Fb+c?uploads&x-id=CreateMultipartUpload&prefix=a+b");
    assert.equal(e.rawPath, "/a%2Fb+c");
    assert.equal(e.rawQuery, "uploads&x-id=CreateMultipartUpload&prefix=a+b");
    assert.deepEqual(e.query, [
      ["uploads", ""],
      ["x-id", "CreateMultipartUpload"],
      ["prefix", "a b"],
    ]);
  });

  it("splits the query at the first '?' only", () => {
    const e = parseS3Endpoint(vhost, "/k?a=b?c");
    assert.equal(e.key, "k");
    assert.deepEqual(e.query, [["a", "b?c"]]);
  });

  it("decodes a percent-encoded path-style bucket segment", () => {
    check("s3.amazonaws.com", "/my%2Dbucket/k", { bucket: "my-bucket", key: "k", rawKeyPath: "k" });
  });

  it("accepts legacy us-east-1 bucket names in paths", () => {
    check("s3.amazonaws.com", "/My_Legacy.Bucket/k", { bucket: "My_Legacy.Bucket" });
  });

  it("round-trips random keys (key === decode(rawKeyPath)) in both styles", () => {
    const encodeKey = (key: string): string => key.split("/").map(encodeURIComponent).join("/");
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 60 }), (key) => {
        for (const [host, prefix] of [
          [vhost, "/"],
          ["s3.amazonaws.com", "/bucket/"],
        ] as const) {
          const e = parseS3Endpoint(host, `${prefix}${encodeKey(key)}?versionId=1`);
          assert.equal(e.key, key);
          assert.equal(e.bucket, "bucket");
          assert.equal(percentDecode(e.rawKeyPath, { plusAsSpace: false }), key);
        }
      }),
      { seed: 1312, numRuns: 400 },
    );
  });
});

describe("parseS3Endpoint: errors", () => {
  it("rejects malformed encodings with InvalidURI", () => {
    for (const target of [
      "/k%",
      "/k%zz",
      "/k%C0%AF",
      "/k%ED%A0%80",
      "/k%FF",
      "/k?a=%",
      "/k?%E2%82=1",
      "/k#frag",
      "/k k",
      "/é",
    ]) {
      assertCode("InvalidURI", () => parseS3Endpoint("bucket.s3.amazonaws.com", target));
      assertCode("InvalidURI", () => parseS3Endpoint("s3.amazonaws.com", `/bucket${target}`));
    }
  });

  it("rejects targets that are not origin-form", () => {
    for (const target of ["", "*", "http://bucket.s3.amazonaws.com/k", "k"]) {
      assertCode("InvalidURI", () => parseS3Endpoint("bucket.s3.amazonaws.com", target));
    }
  });

  it("rejects an empty path-style bucket before a key", () => {
    assertCode("InvalidURI", () => parseS3Endpoint("s3.amazonaws.com", "//k"));
  });

  it("rejects path-style bucket segments that are not bucket names", () => {
    for (const target of ["/..", "/../k", "/./k", "/%2E%2E/k", "/a%2Fb/k", "/a%20b/k", "/b%C3%A9/k"]) {
      assertCode("InvalidBucketName", () => parseS3Endpoint("s3.amazonaws.com", target));
    }
    assertCode("InvalidBucketName", () => parseS3Endpoint("s3.amazonaws.com", `/${"b".repeat(256)}/k`));
  });
});
