/**
 * Table-driven classification of requests shaped as real clients send them (AWS CLI v1/v2, boto3, the AWS SDK
 * for JavaScript v3 with its `x-id` parameters, presigned URLs, s3cmd, rclone), and properties showing that
 * unknown methods and sub-resources never reach forward, encrypt or decrypt.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import {
  classifyOperation,
  type OperationClassification,
  type RequestHeaders,
} from "../../src/s3/classifyOperation.ts";
import { OPERATIONS } from "../../src/s3/operationTable.ts";
import { parseS3Endpoint } from "../../src/s3/parseS3Endpoint.ts";

const VHOST = "bucket.s3.us-east-1.amazonaws.com";
const GLOBAL = "s3.amazonaws.com";
const EXPRESS = "bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com";
const OLAP = "olap-123456789012.s3-object-lambda.us-east-1.amazonaws.com";

function classify(
  method: string,
  host: string,
  target: string,
  headers: RequestHeaders = {},
): OperationClassification {
  return classifyOperation({ method, endpoint: parseS3Endpoint(host, target), headers });
}

// Headers real clients send with bodies.
const CLI_PUT = {
  "content-length": "1048576",
  "content-md5": "1B2M2Y8AsgTpgAEY7KCsCQ==",
  expect: "100-continue",
};
const SDK_STREAM = {
  "content-encoding": "aws-chunked",
  "transfer-encoding": "chunked",
  "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
  "x-amz-decoded-content-length": "5",
  "x-amz-trailer": "x-amz-checksum-crc32",
};
const XML_BODY = { "content-length": "120", "content-type": "application/xml" };
const PRESIGN =
  "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request" +
  "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=abc123";

type Expected = Partial<OperationClassification> & { name: string; action: string };
type Case = [
  what: string,
  method: string,
  host: string,
  target: string,
  headers: RequestHeaders,
  expected: Expected,
];

const FWD = "forward";
const MPU = "multipart";
const REFUSE = { action: "refuse", refuseCode: "NotImplemented" } as const;

const cases: Case[] = [
  // --- uploads and downloads
  ["aws s3 cp (CLI v2)", "PUT", VHOST, "/dir/file.txt", CLI_PUT, { name: "PutObject", action: "encrypt" }],
  [
    "boto3 put_object, global host",
    "PUT",
    "bucket.s3.amazonaws.com",
    "/k",
    CLI_PUT,
    { name: "PutObject", action: "encrypt" },
  ],
  [
    "JS v3 PutObject (aws-chunked)",
    "PUT",
    VHOST,
    "/k?x-id=PutObject",
    SDK_STREAM,
    { name: "PutObject", action: "encrypt" },
  ],
  ["s3cmd put, path-style", "PUT", GLOBAL, "/bucket/k", CLI_PUT, { name: "PutObject", action: "encrypt" }],
  [
    "PutObject of an empty object",
    "PUT",
    VHOST,
    "/empty",
    { "content-length": "0" },
    { name: "PutObject", action: "encrypt" },
  ],
  [
    "presigned PUT",
    "PUT",
    VHOST,
    `/k?x-id=PutObject&${PRESIGN}`,
    CLI_PUT,
    { name: "PutObject", action: "encrypt" },
  ],
  ["aws s3 cp download", "GET", VHOST, "/dir/file.txt", {}, { name: "GetObject", action: "decrypt" }],
  [
    "JS v3 GetObject",
    "GET",
    VHOST,
    "/k?x-id=GetObject",
    { "x-amz-checksum-mode": "ENABLED" },
    { name: "GetObject", action: "decrypt" },
  ],
  [
    "GetObject of a version with response overrides",
    "GET",
    VHOST,
    "/k?versionId=3HL4kqtJlcpXroDTDmJ&response-content-type=text%2Fplain&response-content-disposition=attachment",
    {},
    { name: "GetObject", action: "decrypt" },
  ],
  ["presigned GET", "GET", VHOST, `/k?${PRESIGN}`, {}, { name: "GetObject", action: "decrypt" }],
  [
    "SigV2 presigned GET",
    "GET",
    VHOST,
    "/k?AWSAccessKeyId=AKIAEXAMPLE&Expires=1767225600&Signature=abc%3D",
    {},
    { name: "GetObject", action: "decrypt" },
  ],
  ["ranged GET", "GET", VHOST, "/k", { range: "bytes=-100" }, { name: "GetObject", action: "decrypt" }],
  [
    "GET part 3 (rclone, aws s3 cp multithreaded)",
    "GET",
    VHOST,
    "/k?partNumber=3",
    {},
    { name: "GetObject", action: "decrypt", partNumber: 3 },
  ],
  [
    "HEAD part 1",
    "HEAD",
    VHOST,
    "/k?partNumber=1&versionId=v",
    {},
    { name: "HeadObject", action: "decrypt", partNumber: 1 },
  ],
  ["HeadObject", "HEAD", VHOST, "/k", {}, { name: "HeadObject", action: "decrypt" }],
  [
    "GET on an access point",
    "GET",
    "ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com",
    "/k",
    {},
    { name: "GetObject", action: "decrypt" },
  ],
  [
    "PutObject to a directory bucket",
    "PUT",
    EXPRESS,
    "/k",
    CLI_PUT,
    { name: "PutObject", action: "encrypt" },
  ],
  [
    "custom endpoint path-style",
    "PUT",
    "minio.internal",
    "/bucket/k",
    CLI_PUT,
    { name: "PutObject", action: "encrypt" },
  ],
  [
    "key that looks like a sub-resource",
    "GET",
    VHOST,
    "/uploads",
    {},
    { name: "GetObject", action: "decrypt" },
  ],

  // --- deletes, lists, bucket operations
  ["aws s3 rm", "DELETE", VHOST, "/k", {}, { name: "DeleteObject", action: FWD }],
  [
    "JS v3 DeleteObject",
    "DELETE",
    VHOST,
    "/k?x-id=DeleteObject&versionId=v",
    {},
    { name: "DeleteObject", action: FWD },
  ],
  [
    "aws s3 rm --recursive",
    "POST",
    VHOST,
    "/?delete",
    { ...XML_BODY, "content-md5": "x" },
    { name: "DeleteObjects", action: FWD },
  ],
  ["aws s3 ls (service)", "GET", "s3.us-east-1.amazonaws.com", "/", {}, { name: "ListBuckets", action: FWD }],
  [
    "JS v3 ListBuckets",
    "GET",
    GLOBAL,
    "/?x-id=ListBuckets&max-buckets=100",
    {},
    { name: "ListBuckets", action: FWD },
  ],
  [
    "ListDirectoryBuckets",
    "GET",
    "s3express-control.us-west-2.amazonaws.com",
    "/?x-id=ListDirectoryBuckets",
    {},
    { name: "ListDirectoryBuckets", action: FWD },
  ],
  [
    "aws s3 ls s3://bucket/dir/",
    "GET",
    VHOST,
    "/?list-type=2&prefix=dir%2F&delimiter=%2F&encoding-type=url",
    {},
    { name: "ListObjectsV2", action: FWD, rewrite: "list-sizes" },
  ],
  [
    "s3cmd ls (v1)",
    "GET",
    GLOBAL,
    "/bucket/?delimiter=%2F&prefix=",
    {},
    { name: "ListObjects", action: FWD, rewrite: "list-sizes" },
  ],
  [
    "ListObjectVersions",
    "GET",
    VHOST,
    "/?versions&key-marker=a&max-keys=10",
    {},
    { name: "ListObjectVersions", action: FWD, rewrite: "list-sizes" },
  ],
  [
    "ListMultipartUploads",
    "GET",
    VHOST,
    "/?uploads&prefix=a",
    {},
    { name: "ListMultipartUploads", action: FWD },
  ],
  ["rclone mkdir", "PUT", VHOST, "/", XML_BODY, { name: "CreateBucket", action: FWD }],
  ["rb", "DELETE", VHOST, "/", {}, { name: "DeleteBucket", action: FWD }],
  ["head-bucket", "HEAD", VHOST, "/", {}, { name: "HeadBucket", action: FWD }],
  ["s3cmd info location", "GET", GLOBAL, "/bucket/?location", {}, { name: "GetBucketLocation", action: FWD }],
  ["get-bucket-versioning", "GET", VHOST, "/?versioning", {}, { name: "GetBucketVersioning", action: FWD }],
  ["put-bucket-cors", "PUT", VHOST, "/?cors", XML_BODY, { name: "PutBucketCors", action: FWD }],
  [
    "put-bucket-lifecycle (deprecated x-id)",
    "PUT",
    VHOST,
    "/?lifecycle&x-id=PutBucketLifecycle",
    XML_BODY,
    { name: "PutBucketLifecycleConfiguration", action: FWD },
  ],
  [
    "get-bucket-analytics-configuration",
    "GET",
    VHOST,
    "/?analytics&id=report&x-id=GetBucketAnalyticsConfiguration",
    {},
    { name: "GetBucketAnalyticsConfiguration", action: FWD },
  ],
  [
    "list-bucket-analytics-configurations",
    "GET",
    VHOST,
    "/?analytics",
    {},
    { name: "ListBucketAnalyticsConfigurations", action: FWD },
  ],
  [
    "CreateSession (S3 Express)",
    "GET",
    EXPRESS,
    "/?session",
    { "x-amz-create-session-mode": "ReadWrite" },
    { name: "CreateSession", action: FWD },
  ],
  [
    "CORS preflight",
    "OPTIONS",
    VHOST,
    "/k",
    { origin: "https://app.example", "access-control-request-method": "PUT" },
    { name: "CorsPreflightObject", action: FWD },
  ],

  // --- object sub-resources
  ["put-object-tagging", "PUT", VHOST, "/k?tagging", XML_BODY, { name: "PutObjectTagging", action: FWD }],
  [
    "get-object-tagging",
    "GET",
    VHOST,
    "/k?tagging&versionId=v",
    {},
    { name: "GetObjectTagging", action: FWD },
  ],
  ["delete-object-tagging", "DELETE", VHOST, "/k?tagging", {}, { name: "DeleteObjectTagging", action: FWD }],
  ["get-object-acl", "GET", VHOST, "/k?acl", {}, { name: "GetObjectAcl", action: FWD }],
  [
    "put-object-acl (canned, header only)",
    "PUT",
    VHOST,
    "/k?acl",
    { "x-amz-acl": "private", "content-length": "0" },
    { name: "PutObjectAcl", action: FWD },
  ],
  [
    "put-object-retention",
    "PUT",
    VHOST,
    "/k?retention",
    XML_BODY,
    { name: "PutObjectRetention", action: FWD },
  ],
  ["get-object-legal-hold", "GET", VHOST, "/k?legal-hold", {}, { name: "GetObjectLegalHold", action: FWD }],
  [
    "RenameObject",
    "PUT",
    EXPRESS,
    "/new?renameObject",
    { "x-amz-rename-source": "old" },
    { name: "RenameObject", action: FWD },
  ],
  [
    "UpdateObjectEncryption",
    "PUT",
    VHOST,
    "/k?encryption",
    XML_BODY,
    { name: "UpdateObjectEncryption", action: FWD },
  ],

  // --- multipart
  [
    "CLI CreateMultipartUpload",
    "POST",
    VHOST,
    "/big?uploads",
    {},
    { name: "CreateMultipartUpload", action: MPU },
  ],
  [
    "CLI UploadPart",
    "PUT",
    VHOST,
    "/big?partNumber=1&uploadId=abc",
    CLI_PUT,
    { name: "UploadPart", action: MPU, partNumber: 1 },
  ],
  [
    "JS v3 UploadPart",
    "PUT",
    VHOST,
    "/big?x-id=UploadPart&partNumber=2&uploadId=abc",
    SDK_STREAM,
    { name: "UploadPart", action: MPU, partNumber: 2 },
  ],
  [
    "UploadPartCopy",
    "PUT",
    VHOST,
    "/big?partNumber=1&uploadId=abc",
    { "x-amz-copy-source": "src/k", "x-amz-copy-source-range": "bytes=0-9" },
    { name: "UploadPartCopy", action: MPU, partNumber: 1 },
  ],
  [
    "JS v3 CompleteMultipartUpload",
    "POST",
    VHOST,
    "/big?uploadId=abc",
    XML_BODY,
    { name: "CompleteMultipartUpload", action: MPU },
  ],
  [
    "AbortMultipartUpload",
    "DELETE",
    VHOST,
    "/big?uploadId=abc",
    {},
    { name: "AbortMultipartUpload", action: MPU },
  ],
  [
    "JS v3 AbortMultipartUpload",
    "DELETE",
    VHOST,
    "/big?x-id=AbortMultipartUpload&uploadId=abc",
    {},
    { name: "AbortMultipartUpload", action: MPU },
  ],
  ["ListParts", "GET", VHOST, "/big?uploadId=abc&max-parts=100", {}, { name: "ListParts", action: MPU }],
  [
    "JS v3 ListParts",
    "GET",
    VHOST,
    "/big?x-id=ListParts&uploadId=abc",
    {},
    { name: "ListParts", action: MPU },
  ],

  // --- copies (the source is inspected by the copy handler)
  [
    "aws s3 cp s3://a/k s3://b/k",
    "PUT",
    VHOST,
    "/k",
    { "x-amz-copy-source": "a/k", "x-amz-metadata-directive": "REPLACE" },
    { name: "CopyObject", action: "copy" },
  ],
  [
    "JS v3 CopyObject",
    "PUT",
    VHOST,
    "/k?x-id=CopyObject",
    { "x-amz-copy-source": "a%2Fk" },
    { name: "CopyObject", action: "copy" },
  ],
  [
    "presigned CopyObject (header hoisted to the query)",
    "PUT",
    VHOST,
    `/k?x-amz-copy-source=a%2Fk&${PRESIGN}`,
    {},
    // Classified as a copy; the copy handler refuses copy headers that arrive in the query.
    { name: "CopyObject", action: "copy" },
  ],

  // --- refused data paths
  [
    "AppendObject (S3 Express)",
    "PUT",
    EXPRESS,
    "/log?x-id=PutObject",
    { ...CLI_PUT, "x-amz-write-offset-bytes": "1024" },
    { name: "AppendObject", ...REFUSE },
  ],
  [
    "SelectObjectContent",
    "POST",
    VHOST,
    "/data.csv?select&select-type=2",
    XML_BODY,
    { name: "SelectObjectContent", ...REFUSE },
  ],
  [
    "RestoreObject needs its body checked",
    "POST",
    VHOST,
    "/k?restore",
    XML_BODY,
    { name: "RestoreObject", ...REFUSE, bodyCheck: "restore-request" },
  ],
  [
    "GetObjectAttributes",
    "GET",
    VHOST,
    "/k?attributes",
    { "x-amz-object-attributes": "ObjectSize,Checksum" },
    { name: "GetObjectAttributes", action: "decrypt" },
  ],
  ["GetObjectTorrent", "GET", VHOST, "/k?torrent", {}, { name: "GetObjectTorrent", ...REFUSE }],
  [
    "browser POST Object",
    "POST",
    VHOST,
    "/",
    { "content-type": "multipart/form-data; boundary=x", "content-length": "999" },
    { name: "PostObject", ...REFUSE },
  ],
  [
    "POST Object, path-style",
    "POST",
    GLOBAL,
    "/bucket",
    { "content-type": "multipart/form-data; boundary=x", "content-length": "999" },
    { name: "PostObject", ...REFUSE },
  ],
  [
    "WriteGetObjectResponse",
    "POST",
    "io-use1-001.s3-object-lambda.us-east-1.amazonaws.com",
    "/WriteGetObjectResponse",
    { "x-amz-request-route": "io-use1-001", "x-amz-request-token": "t", "content-length": "10" },
    { name: "WriteGetObjectResponse", ...REFUSE },
  ],
  ["GetObject through Object Lambda", "GET", OLAP, "/k?x-id=GetObject", {}, { name: "GetObject", ...REFUSE }],
  [
    "ListObjectsV2 through Object Lambda",
    "GET",
    OLAP,
    "/?list-type=2",
    {},
    { name: "ListObjectsV2", ...REFUSE },
  ],

  // --- unknown and contradictory requests
  ["PATCH", "PATCH", VHOST, "/k", {}, { name: "Unknown", ...REFUSE }],
  ["lowercase method", "get", VHOST, "/k", {}, { name: "Unknown", ...REFUSE }],
  ["unknown object sub-resource", "GET", VHOST, "/k?foo", {}, { name: "Unknown", ...REFUSE }],
  [
    "OSS/Ceph-style append",
    "POST",
    VHOST,
    "/k?append&position=0",
    { "content-length": "10" },
    { name: "Unknown", ...REFUSE },
  ],
  ["sub-resource in the wrong case", "POST", VHOST, "/k?Uploads", {}, { name: "Unknown", ...REFUSE }],
  ["sub-resource on the wrong method", "PUT", VHOST, "/k?uploads", CLI_PUT, { name: "Unknown", ...REFUSE }],
  ["object sub-resource on a bucket", "GET", VHOST, "/?torrent", {}, { name: "Unknown", ...REFUSE }],
  ["bucket sub-resource on an object", "GET", VHOST, "/k?cors", {}, { name: "Unknown", ...REFUSE }],
  ["list-type other than 2", "GET", VHOST, "/?list-type=3", {}, { name: "Unknown", ...REFUSE }],
  [
    "select-type other than 2",
    "POST",
    VHOST,
    "/k?select&select-type=1",
    XML_BODY,
    { name: "Unknown", ...REFUSE },
  ],
  [
    "PutObject with partNumber but no uploadId",
    "PUT",
    VHOST,
    "/k?partNumber=1",
    CLI_PUT,
    { name: "Unknown", ...REFUSE },
  ],
  ["UploadPart without partNumber", "PUT", VHOST, "/k?uploadId=abc", CLI_PUT, { name: "Unknown", ...REFUSE }],
  [
    "copy source on a GET",
    "GET",
    VHOST,
    "/k",
    { "x-amz-copy-source": "a/k" },
    { name: "Unknown", ...REFUSE },
  ],
  [
    "copy and append together",
    "PUT",
    EXPRESS,
    "/k",
    { "x-amz-copy-source": "a/k", "x-amz-write-offset-bytes": "0" },
    { name: "Unknown", ...REFUSE },
  ],
  [
    "x-id naming another operation",
    "PUT",
    VHOST,
    "/k?x-id=PutObjectTagging",
    CLI_PUT,
    { name: "Unknown", ...REFUSE },
  ],
  [
    "x-id CopyObject without a copy source",
    "PUT",
    VHOST,
    "/k?x-id=CopyObject",
    CLI_PUT,
    { name: "Unknown", ...REFUSE },
  ],
  ["x-id nonsense", "GET", VHOST, "/k?x-id=Nonsense", {}, { name: "Unknown", ...REFUSE }],
  [
    "duplicate sub-resource",
    "GET",
    VHOST,
    "/k?partNumber=1&partNumber=2",
    {},
    { name: "Unknown", ...REFUSE },
  ],
  [
    "duplicate x-id",
    "PUT",
    VHOST,
    "/k?x-id=PutObject&x-id=PutObject",
    CLI_PUT,
    { name: "Unknown", ...REFUSE },
  ],
  ["prototype names are not sub-resources", "GET", VHOST, "/k?toString", {}, { name: "Unknown", ...REFUSE }],
  [
    "__proto__ is not a sub-resource",
    "PUT",
    VHOST,
    "/k?__proto__=x",
    CLI_PUT,
    { name: "Unknown", ...REFUSE },
  ],
  ["constructor is not a sub-resource", "GET", VHOST, "/?constructor", {}, { name: "Unknown", ...REFUSE }],
  ["empty parameter name", "GET", VHOST, "/k?=x", {}, { name: "Unknown", ...REFUSE }],
  ["GET with a body", "GET", VHOST, "/k", { "content-length": "10" }, { name: "GetObject", ...REFUSE }],
  [
    "DELETE with a chunked body",
    "DELETE",
    VHOST,
    "/k",
    { "transfer-encoding": "chunked" },
    { name: "DeleteObject", ...REFUSE },
  ],
  ["HEAD on the service", "HEAD", GLOBAL, "/", {}, { name: "Unknown", ...REFUSE }],
  [
    "POST to an object without sub-resource",
    "POST",
    VHOST,
    "/k",
    { "content-length": "10" },
    { name: "Unknown", ...REFUSE },
  ],
  [
    "ListBuckets on a directory-bucket control host is ListDirectoryBuckets only",
    "GET",
    "s3express-control.us-west-2.amazonaws.com",
    "/?x-id=ListBuckets",
    {},
    { name: "Unknown", ...REFUSE },
  ],
  [
    "SigV2-only parameter on its own still names GetObject",
    "GET",
    VHOST,
    "/k?Expires=1",
    {},
    { name: "GetObject", action: "decrypt" },
  ],
];

describe("classifyOperation: real request shapes", () => {
  for (const [what, method, host, target, headers, expected] of cases) {
    it(`${what}: ${method} ${target}`, () => {
      const got = classify(method, host, target, headers);
      const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, got[k as keyof typeof got]]));
      assert.deepEqual(picked, expected);
      assert.ok(got.reason.length > 0);
      if (got.action !== "refuse") assert.equal("refuseCode" in got, false);
    });
  }

  it("reports partNumber only where GetObject/HeadObject take it", () => {
    assert.equal(classify("GET", VHOST, "/k").partNumber, undefined);
    assert.equal(classify("GET", VHOST, "/k?partNumber=10000").partNumber, 10000);
  });

  it("rejects a malformed partNumber with InvalidArgument", () => {
    for (const bad of ["0", "10001", "01", "-1", "1.5", "", "abc", "99999999999999999999"]) {
      assert.throws(
        () => classify("GET", VHOST, `/k?partNumber=${bad}`),
        (err: unknown) => err instanceof ProxyError && err.code === "InvalidArgument",
        bad,
      );
    }
  });

  it("explains unknown requests without echoing parameter values", () => {
    const got = classify("GET", VHOST, "/k?foo=secret-token");
    assert.match(got.reason, /GET on object with query "foo"/);
    assert.doesNotMatch(got.reason, /secret-token/);
    const nasty = classify("GET", VHOST, "/k?a%0D%0Ab=1");
    assert.match(nasty.reason, /"a\\r\\nb"/);
    assert.doesNotMatch(nasty.reason, /[\r\n]/);
  });
});

describe("classifyOperation: properties", () => {
  const KNOWN_PARAMS = new Set<string>();
  for (const r of OPERATIONS) {
    for (const n of Object.keys(r.subresources)) KNOWN_PARAMS.add(n);
    for (const n of r.params) KNOWN_PARAMS.add(n);
  }
  const isExempt = (n: string): boolean =>
    KNOWN_PARAMS.has(n) ||
    n.toLowerCase().startsWith("x-amz-") ||
    ["x-id", "AWSAccessKeyId", "Expires", "Signature"].includes(n);
  const unknownName = fc
    .oneof(
      fc.string({ minLength: 0, maxLength: 12 }),
      fc.constantFrom(
        "append",
        "position",
        "Uploads",
        "ACL",
        "torrent2",
        "usage",
        "admin",
        "compose",
        "UPLOADID",
      ),
    )
    .filter((n) => !isExempt(n));
  const value = fc.oneof(fc.constant(""), fc.string({ maxLength: 8 }));
  const knownMethod = fc.constantFrom("GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS");
  const anyMethod = fc.oneof(
    knownMethod,
    fc.constantFrom("PATCH", "TRACE", "CONNECT", "PROPFIND", "COPY", "MOVE", "get", "Put"),
    fc.string({ minLength: 1, maxLength: 8 }),
  );
  const host = fc.constantFrom(VHOST, EXPRESS, "ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com");
  const headers = fc.constantFrom<RequestHeaders>(
    {},
    CLI_PUT,
    SDK_STREAM,
    { "x-amz-copy-source": "a/b" },
    { "x-amz-write-offset-bytes": "0" },
  );
  const runs = { seed: 20260402, numRuns: 1500 };
  const MOVES_DATA_OR_FORWARDS = new Set(["forward", "encrypt", "decrypt", "multipart", "copy"]);

  it("an unknown query sub-resource on an object is never forwarded, encrypted or decrypted", () => {
    // Start from every known object-level shape and add one unknown parameter.
    const objectShapes = OPERATIONS.filter((r) => r.target === "object" && r.key === undefined);
    fc.assert(
      fc.property(
        fc.constantFrom(...objectShapes),
        host,
        unknownName,
        value,
        headers,
        fc.boolean(),
        (rule, h, name, v, hdrs, first) => {
          const known = Object.entries(rule.subresources).map(([k, val]) =>
            val === undefined ? k : `${k}=${val}`,
          );
          const extra = `${encodeURIComponent(name)}=${encodeURIComponent(v)}`;
          const query = (first ? [extra, ...known] : [...known, extra]).join("&");
          const got = classifyOperation({
            method: rule.method,
            endpoint: parseS3Endpoint(h, `/some/key?${query}`),
            headers: hdrs,
          });
          assert.equal(got.action, "refuse", `${rule.method} ?${query} -> ${got.name}`);
        },
      ),
      runs,
    );
  });

  it("an unknown method on an object or bucket is always refused", () => {
    const method = anyMethod.filter((m) => !["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"].includes(m));
    fc.assert(
      fc.property(
        method,
        host,
        fc.constantFrom("/k", "/", "/k?uploads", "/?list-type=2"),
        headers,
        (m, h, t, hdrs) => {
          const got = classifyOperation({ method: m, endpoint: parseS3Endpoint(h, t), headers: hdrs });
          assert.equal(got.action, "refuse");
          assert.equal(got.name, "Unknown");
        },
      ),
      runs,
    );
  });

  it("random methods and random unknown parameters never move data or forward", () => {
    fc.assert(
      fc.property(
        anyMethod,
        host,
        fc.array(fc.tuple(unknownName, value), { minLength: 1, maxLength: 3 }),
        headers,
        (m, h, params, hdrs) => {
          const query = params.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join("&");
          for (const path of ["/k", "/"]) {
            const got = classifyOperation({
              method: m,
              endpoint: parseS3Endpoint(h, `${path}?${query}`),
              headers: hdrs,
            });
            assert.equal(MOVES_DATA_OR_FORWARDS.has(got.action), false, `${m} ${path}?${query}`);
          }
        },
      ),
      runs,
    );
  });

  it("only PutObject encrypts and only GetObject/HeadObject/GetObjectAttributes decrypt, whatever the request", () => {
    const anyParam = fc.oneof(unknownName, fc.constantFrom(...KNOWN_PARAMS, "x-id", "x-amz-copy-source"));
    fc.assert(
      fc.property(
        anyMethod,
        host,
        fc.array(fc.tuple(anyParam, fc.oneof(value, fc.constantFrom("2", "1", "PutObject", "GetObject"))), {
          maxLength: 3,
        }),
        headers,
        (m, h, params, hdrs) => {
          const query = params.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join("&");
          let got: OperationClassification;
          try {
            got = classifyOperation({
              method: m,
              endpoint: parseS3Endpoint(h, `/k?${query}`),
              headers: hdrs,
            });
          } catch (err) {
            assert.ok(err instanceof ProxyError && err.code === "InvalidArgument"); // a bad partNumber
            return;
          }
          if (got.action === "encrypt") assert.equal(got.name, "PutObject");
          if (got.action === "decrypt") {
            assert.ok(["GetObject", "HeadObject", "GetObjectAttributes"].includes(got.name), got.name);
          }
          if (got.action === "refuse") assert.equal(got.refuseCode, "NotImplemented");
        },
      ),
      runs,
    );
  });

  it("nothing on an Object Lambda host is ever forwarded, encrypted or decrypted", () => {
    const anyParam = fc.oneof(unknownName, fc.constantFrom(...KNOWN_PARAMS));
    fc.assert(
      fc.property(
        knownMethod,
        fc.constantFrom("/k", "/", "/WriteGetObjectResponse"),
        fc.array(fc.tuple(anyParam, fc.constantFrom("", "2")), { maxLength: 2 }),
        (m, path, params) => {
          const query = params.map(([n, v]) => `${encodeURIComponent(n)}=${v}`).join("&");
          const got = classifyOperation({
            method: m,
            endpoint: parseS3Endpoint(OLAP, `${path}?${query}`),
            headers: {},
          });
          assert.equal(got.action, "refuse");
        },
      ),
      runs,
    );
  });
});
