/**
 * parsePayloadMode: every body mode real clients use (see /work/shared/NOTES.md §1 and the captured fixtures),
 * and every inconsistent or unsupported combination refused with S3's own error code.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ErrorCode } from "../../src/errors/errorCodes.ts";
import { parsePayloadMode } from "../../src/s3body/parsePayloadMode.ts";
import { headers, throwsCode } from "./helpers.ts";

const SHA = "fde19d6b67ba331971758e4d3ec363a5c5d25daafb31639b6cefa43d11a1315e";
const MD5 = "8tQrmEc7Sj7jY0C+8TK3Dg==";

/** botocore >= 1.36 over HTTPS. */
const botocore = {
  "Transfer-Encoding": "chunked",
  "Content-Encoding": "aws-chunked",
  "X-Amz-Trailer": "x-amz-checksum-crc32",
  "X-Amz-Decoded-Content-Length": "1000",
  "x-amz-sdk-checksum-algorithm": "CRC32",
  "X-Amz-Content-SHA256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
};

const parse = (h: Record<string, string>) => parsePayloadMode(headers(h));
const refuses = (h: Record<string, string> | string[], code: ErrorCode): void =>
  throwsCode(() => parsePayloadMode(Array.isArray(h) ? h : headers(h)), code);

void describe("parsePayloadMode: identity bodies", () => {
  void it("UNSIGNED-PAYLOAD + Content-MD5 + Content-Length (AWS CLI v2, rclone, boto3)", () => {
    assert.deepEqual(
      parse({ "Content-Length": "1000", "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD", "Content-MD5": MD5 }),
      {
        framing: { kind: "identity", contentLength: 1000 },
        plaintextLength: 1000,
        payloadHash: { kind: "unsigned" },
        contentMd5: MD5,
        checksum: undefined,
        sdkChecksumAlgorithm: undefined,
        storedContentEncoding: undefined,
      },
    );
  });

  void it("a signed hex SHA-256 (lowercased) and a header checksum (botocore over plain HTTP)", () => {
    const m = parse({
      "Content-Length": "1000",
      "x-amz-checksum-crc32": "sxLDSg==",
      "x-amz-sdk-checksum-algorithm": "CRC32",
      "X-Amz-Content-SHA256": SHA.toUpperCase(),
    });
    assert.deepEqual(m.payloadHash, { kind: "sha256", hex: SHA });
    assert.deepEqual(m.checksum, {
      algorithm: "CRC32",
      location: "header",
      name: "x-amz-checksum-crc32",
      value: "sxLDSg==",
    });
    assert.equal(m.sdkChecksumAlgorithm, "CRC32");
  });

  void it("no x-amz-content-sha256 (presigned URL): nothing claimed about the payload", () => {
    assert.deepEqual(parse({ "Content-Length": "5" }).payloadHash, { kind: "absent" });
  });

  void it("no Content-Length and no Transfer-Encoding: an empty body", () => {
    assert.deepEqual(parse({ "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }).framing, {
      kind: "identity",
      contentLength: 0,
    });
  });

  void it("HTTP chunked without aws-chunked: length unknown", () => {
    const m = parse({ "Transfer-Encoding": "chunked", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" });
    assert.deepEqual(m.framing, { kind: "identity", contentLength: undefined });
    assert.equal(m.plaintextLength, undefined);
  });

  void it("keeps a non-aws-chunked Content-Encoding for the stored object", () => {
    assert.equal(parse({ "Content-Length": "3", "Content-Encoding": "gzip" }).storedContentEncoding, "gzip");
  });

  void it("ignores the x-amz-checksum-* headers that are not checksum values", () => {
    const m = parse({
      "Content-Length": "3",
      "x-amz-checksum-algorithm": "CRC32",
      "x-amz-checksum-type": "COMPOSITE",
    });
    assert.equal(m.checksum, undefined);
  });

  void it("accepts x-amz-decoded-content-length equal to Content-Length", () => {
    assert.equal(parse({ "Content-Length": "3", "x-amz-decoded-content-length": "3" }).plaintextLength, 3);
  });
});

void describe("parsePayloadMode: aws-chunked bodies", () => {
  void it("STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer (botocore >= 1.36, SDK v3)", () => {
    assert.deepEqual(parse(botocore), {
      framing: {
        kind: "aws-chunked",
        signedChunks: false,
        trailer: true,
        signedTrailer: false,
        decodedLength: 1000,
        encodedLength: undefined,
      },
      plaintextLength: 1000,
      payloadHash: { kind: "streaming", value: "STREAMING-UNSIGNED-PAYLOAD-TRAILER" },
      contentMd5: undefined,
      checksum: { algorithm: "CRC32", location: "trailer", name: "x-amz-checksum-crc32" },
      sdkChecksumAlgorithm: "CRC32",
      storedContentEncoding: undefined,
    });
  });

  void it("STREAMING-AWS4-HMAC-SHA256-PAYLOAD: signed chunks, no trailer, Content-Length of the encoding", () => {
    const m = parse({
      "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "Content-Encoding": "aws-chunked",
      "x-amz-decoded-content-length": "66560",
      "Content-Length": "66824",
    });
    assert.deepEqual(m.framing, {
      kind: "aws-chunked",
      signedChunks: true,
      trailer: false,
      signedTrailer: false,
      decodedLength: 66560,
      encodedLength: 66824,
    });
    assert.equal(m.checksum, undefined);
  });

  void it("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: signed chunks and signed trailer", () => {
    const m = parse({
      ...botocore,
      "X-Amz-Content-SHA256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
      "X-Amz-Trailer": "x-amz-checksum-crc64nvme",
      "x-amz-sdk-checksum-algorithm": "crc64nvme",
    });
    assert.equal(m.framing.kind === "aws-chunked" && m.framing.signedTrailer, true);
    assert.equal(m.checksum?.algorithm, "CRC64NVME");
  });

  void it("preserves the other content codings in order, whatever the position and case of aws-chunked", () => {
    assert.equal(
      parse({ ...botocore, "Content-Encoding": "gzip,aws-chunked" }).storedContentEncoding,
      "gzip",
    );
    assert.equal(
      parse({ ...botocore, "Content-Encoding": "AWS-Chunked, gzip" }).storedContentEncoding,
      "gzip",
    );
    assert.equal(
      parse({ ...botocore, "Content-Encoding": "aws-chunked, br , gzip" }).storedContentEncoding,
      "br,gzip",
    );
    const { "Content-Encoding": _ce, ...rest } = botocore;
    const twoHeaders = [...headers(rest), "Content-Encoding", "aws-chunked", "Content-Encoding", "gzip"];
    assert.equal(parsePayloadMode(twoHeaders).storedContentEncoding, "gzip");
  });

  void it("decodes by x-amz-content-sha256 even when Content-Encoding omits aws-chunked", () => {
    const { "Content-Encoding": _ce, ...rest } = botocore;
    assert.equal(parse(rest).framing.kind, "aws-chunked");
  });

  void it("Content-MD5 may accompany a trailer checksum (both are verified)", () => {
    const m = parse({ ...botocore, "Content-MD5": MD5 });
    assert.equal(m.contentMd5, MD5);
    assert.equal(m.checksum?.location, "trailer");
  });
});

void describe("parsePayloadMode: refusals", () => {
  void it("aws-chunked without x-amz-decoded-content-length → MissingContentLength", () => {
    const { "X-Amz-Decoded-Content-Length": _d, ...rest } = botocore;
    refuses(rest, "MissingContentLength");
  });

  void it("malformed lengths → InvalidArgument", () => {
    for (const bad of ["", "-1", "12a", "1e3", " 1 2", "99999999999999999"]) {
      refuses({ ...botocore, "X-Amz-Decoded-Content-Length": bad }, "InvalidArgument");
    }
    refuses({ "Content-Length": "0x10" }, "InvalidArgument");
  });

  void it("more than 5 GiB → EntityTooLarge (and a configurable maximum)", () => {
    refuses({ ...botocore, "X-Amz-Decoded-Content-Length": String(5 * 1024 ** 3 + 1) }, "EntityTooLarge");
    refuses({ "Content-Length": String(5 * 1024 ** 3 + 1) }, "EntityTooLarge");
    assert.equal(parse({ "Content-Length": String(5 * 1024 ** 3) }).plaintextLength, 5 * 1024 ** 3);
    throwsCode(
      () => parsePayloadMode(headers({ "Content-Length": "11" }), { maxLength: 10 }),
      "EntityTooLarge",
    );
  });

  void it("aws-chunked Content-Encoding with a non-streaming payload hash → InvalidRequest", () => {
    refuses(
      {
        "Content-Length": "10",
        "Content-Encoding": "aws-chunked",
        "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
      },
      "InvalidRequest",
    );
    refuses({ "Content-Length": "10", "Content-Encoding": "gzip, aws-chunked" }, "InvalidRequest");
  });

  void it("an unknown or unsupported x-amz-content-sha256", () => {
    refuses({ "Content-Length": "1", "x-amz-content-sha256": "STREAMING-PAYLOAD" }, "InvalidArgument");
    refuses({ "Content-Length": "1", "x-amz-content-sha256": "abc" }, "InvalidArgument");
    refuses(
      { ...botocore, "X-Amz-Content-SHA256": "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" },
      "NotImplemented",
    );
  });

  void it("ambiguous duplicates → InvalidRequest", () => {
    const duplicated: [string, string][] = [
      ["x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"],
      ["x-amz-decoded-content-length", "1000"],
      ["x-amz-trailer", "x-amz-checksum-crc32"],
      ["x-amz-sdk-checksum-algorithm", "CRC32"],
    ];
    for (const [name, value] of duplicated) refuses([...headers(botocore), name, value], "InvalidRequest");
    refuses([...headers(botocore), "Content-MD5", MD5, "content-md5", MD5], "InvalidRequest");
    refuses([...headers({ "Content-Length": "1" }), "content-length", "1"], "InvalidRequest");
    refuses({ "Content-Length": "1", "Transfer-Encoding": "chunked" }, "InvalidRequest");
  });

  void it("x-amz-trailer rules", () => {
    const { "X-Amz-Trailer": _t, ...noTrailer } = botocore;
    refuses(noTrailer, "InvalidRequest"); // a *-TRAILER mode must announce its trailer
    refuses({ "Content-Length": "1", "x-amz-trailer": "x-amz-checksum-crc32" }, "InvalidRequest");
    refuses(
      {
        ...botocore,
        "X-Amz-Content-SHA256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "x-amz-sdk-checksum-algorithm": "CRC32",
      },
      "InvalidRequest",
    );
    refuses({ ...botocore, "X-Amz-Trailer": "x-amz-checksum-crc32,x-amz-checksum-sha256" }, "InvalidRequest");
    refuses({ ...botocore, "X-Amz-Trailer": "content-md5" }, "InvalidRequest");
    refuses(
      { ...botocore, "X-Amz-Trailer": "x-amz-checksum-xxhash64", "x-amz-sdk-checksum-algorithm": "XXHASH64" },
      "NotImplemented",
    );
  });

  void it("more than one checksum → InvalidRequest", () => {
    refuses({ ...botocore, "x-amz-checksum-crc32": "sxLDSg==" }, "InvalidRequest");
    refuses(
      { "Content-Length": "1", "x-amz-checksum-crc32": "sxLDSg==", "x-amz-checksum-crc32c": "sxLDSg==" },
      "InvalidRequest",
    );
  });

  void it("a checksum header value that is not base64 of the digest size → InvalidRequest", () => {
    for (const v of ["sxLDSg", "sxLDSgAA", "not base64!", ""]) {
      refuses({ "Content-Length": "1", "x-amz-checksum-crc32": v }, "InvalidRequest");
    }
    refuses({ "Content-Length": "1", "x-amz-checksum-crc64nvme": "sxLDSg==" }, "InvalidRequest");
  });

  void it("an x-amz-checksum-* this proxy cannot compute → NotImplemented", () => {
    refuses(
      { "Content-Length": "1", "x-amz-checksum-xxhash128": "AAAAAAAAAAAAAAAAAAAAAA==" },
      "NotImplemented",
    );
    refuses({ "Content-Length": "1", "x-amz-checksum-whirlpool": "AAAA" }, "NotImplemented");
  });

  void it("x-amz-sdk-checksum-algorithm rules (API_PutObject.html)", () => {
    refuses({ "Content-Length": "1", "x-amz-sdk-checksum-algorithm": "CRC32" }, "InvalidRequest");
    refuses({ ...botocore, "x-amz-sdk-checksum-algorithm": "SHA256" }, "BadDigest");
    refuses({ ...botocore, "x-amz-sdk-checksum-algorithm": "CRC33" }, "InvalidRequest");
    refuses({ ...botocore, "x-amz-sdk-checksum-algorithm": "XXHASH3" }, "NotImplemented");
  });

  void it("a Content-MD5 that is not base64 of 16 bytes → InvalidDigest", () => {
    for (const v of [
      "",
      "abc",
      "8tQrmEc7Sj7jY0C+8TK3",
      "8tQrmEc7Sj7jY0C+8TK3Dg==AA",
      "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ]) {
      refuses({ "Content-Length": "1", "Content-MD5": v }, "InvalidDigest");
    }
  });
});
