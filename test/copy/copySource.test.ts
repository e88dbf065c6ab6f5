/**
 * x-amz-copy-source parsing (src/copy/copySource.ts): the forms the API reference and real clients send, and
 * everything that must not be guessed at.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCopySource } from "../../src/copy/copySource.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof ProxyError ? err.code : "not a ProxyError";
  }
};

void describe("parseCopySource", () => {
  it("reads bucket/key, with or without a leading slash", () => {
    assert.deepEqual(parseCopySource("awsexamplebucket/reports/january.pdf"), {
      bucket: "awsexamplebucket",
      key: "reports/january.pdf",
      versionId: undefined,
    });
    assert.deepEqual(parseCopySource("/b/k"), { bucket: "b", key: "k", versionId: undefined });
  });

  it("decodes the URL-encoded key once; a + stays a plus", () => {
    // botocore quotes with safe '/~'; the SDK v3 leaves encoding to the caller.
    assert.equal(parseCopySource("b/dir/a%20b%2Bc+d%3Fe").key, "dir/a b+c+d?e");
    assert.equal(parseCopySource("b/%E2%82%AC/x").key, "€/x");
    assert.equal(parseCopySource("b/a%2Fb").key, "a/b");
  });

  it("reads ?versionId=", () => {
    assert.deepEqual(parseCopySource("b/k?versionId=3/L4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY"), {
      bucket: "b",
      key: "k",
      versionId: "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
    });
  });

  it("refuses what it cannot name exactly", () => {
    assert.equal(
      code(() => parseCopySource("bucket-only")),
      "InvalidArgument",
    );
    assert.equal(
      code(() => parseCopySource("b/")),
      "InvalidArgument",
    );
    assert.equal(
      code(() => parseCopySource("/k")),
      "InvalidArgument",
    );
    assert.equal(
      code(() => parseCopySource("b/k?partNumber=1")),
      "InvalidArgument",
    );
    assert.equal(
      code(() => parseCopySource("b/k?versionId=1&x=2")),
      "InvalidArgument",
    );
    assert.equal(
      code(() => parseCopySource("b/k?versionId=")),
      "InvalidArgument",
    );
    assert.equal(
      code(() => parseCopySource("b/bad%zzescape")),
      "InvalidArgument",
    );
    assert.equal(
      code(() => parseCopySource("b/raw space")),
      "InvalidArgument",
    );
    assert.equal(
      code(() => parseCopySource("bad bucket/k")),
      "InvalidArgument",
    );
    assert.equal(
      code(() => parseCopySource("../k")),
      "InvalidArgument",
    );
  });

  it("refuses access point ARNs (another endpoint)", () => {
    assert.equal(
      code(() =>
        parseCopySource(
          "arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point/object/reports/january.pdf",
        ),
      ),
      "NotImplemented",
    );
  });
});
