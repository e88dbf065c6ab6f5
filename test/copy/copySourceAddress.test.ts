/** Where the proxy's own requests for a copy source go (src/copy/copySourceAddress.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { copySourceAddress } from "../../src/copy/copySourceAddress.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";

const source = (bucket: string, key: string, versionId?: string) => ({ bucket, key, versionId });

void describe("copySourceAddress", () => {
  it("path-style: /bucket/key on the client's host, the key SigV4-encoded with its slashes", () => {
    const got = copySourceAddress(
      { style: "path", bucket: "dst", host: "s3.us-east-1.amazonaws.com" },
      source("src", "dir/a b+c.txt"),
    );
    assert.deepEqual(got, { host: undefined, target: "/src/dir/a%20b%2Bc.txt" });
  });

  it("virtual-hosted, same bucket: the client's host", () => {
    const got = copySourceAddress(
      { style: "virtual", bucket: "photos", host: "photos.s3.us-east-1.amazonaws.com" },
      source("photos", "k", "v 1"),
    );
    assert.deepEqual(got, { host: undefined, target: "/k?versionId=v%201" });
  });

  it("virtual-hosted, another bucket: the host's bucket label replaced, port kept", () => {
    const got = copySourceAddress(
      { style: "virtual", bucket: "dst", host: "DST.s3.eu-west-1.amazonaws.com:443" },
      source("src.bucket", "x/y"),
    );
    assert.deepEqual(got, { host: "src.bucket.s3.eu-west-1.amazonaws.com:443", target: "/x/y" });
  });

  it("refuses endpoints whose first label is not a bucket", () => {
    for (const style of ["access-point", "s3express", "object-lambda"] as const) {
      assert.throws(
        () => copySourceAddress({ style, bucket: "ap-123456789012", host: "h" }, source("src", "k")),
        (err) => err instanceof ProxyError && err.code === "NotImplemented",
      );
    }
  });
});
