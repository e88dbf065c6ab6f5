/**
 * End to end over real requests: bodies the installed AWS CLIs sent (captured by captureClientFixtures.ts) and
 * the AWS documentation's signed examples go headers → parsePayloadMode → createBodyDecoding → plaintext, under
 * several chunkings; tampered bodies, trailers and Content-MD5 fail with S3's codes.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { checksumOf } from "../../src/s3body/checksums.ts";
import { deriveSigningKey } from "../../src/s3body/chunkSignatures.ts";
import { createBodyDecoding, type BodyDecodingOptions } from "../../src/s3body/createBodyDecoding.ts";
import { parsePayloadMode } from "../../src/s3body/parsePayloadMode.ts";
import { loadClientFixtures, type ClientFixture } from "./clientFixtures.ts";
import { assertCode, AWS_DOC, docBody, headers, run, split, type RunResult } from "./helpers.ts";

async function decode(
  rawHeaders: string[],
  body: Buffer,
  sizes: number[],
  options: BodyDecodingOptions = {},
): Promise<RunResult & { decoding: ReturnType<typeof createBodyDecoding> }> {
  const decoding = createBodyDecoding(parsePayloadMode(rawHeaders), rawHeaders, options);
  return { ...(await run(decoding.transforms, split(body, sizes))), decoding };
}

const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
const fixtures = loadClientFixtures();

/** What each capture must parse to: [framing, checksum algorithm@location, Content-MD5?, payload hash]. */
const EXPECTED: Record<string, string> = {
  "cli-v1-http-default": "identity CRC32@header - sha256",
  "cli-v1-https-default": "aws-chunked CRC32@trailer - streaming",
  "cli-v1-https-empty": "aws-chunked CRC32@trailer - streaming",
  "cli-v1-https-md5-gzip": "aws-chunked CRC32@trailer md5 streaming",
  "cli-v1-https-multichunk": "aws-chunked CRC32@trailer - streaming",
  "cli-v1-https-s3cp-stdin": "aws-chunked CRC32@trailer - streaming",
  "cli-v1-https-sha1": "aws-chunked SHA1@trailer - streaming",
  "cli-v1-https-sha256": "aws-chunked SHA256@trailer - streaming",
  "cli-v1-https-sha512": "aws-chunked SHA512@trailer - streaming",
  "cli-v2-http-default": "identity none md5 sha256",
  "cli-v2-https-crc32": "aws-chunked CRC32@trailer - streaming",
  "cli-v2-https-crc32c": "aws-chunked CRC32C@trailer - streaming",
  "cli-v2-https-default": "identity none md5 unsigned",
  "cli-v2-https-sha1": "aws-chunked SHA1@trailer - streaming",
  "cli-v2-https-sha256": "aws-chunked SHA256@trailer - streaming",
};

function summary(f: ClientFixture): string {
  const m = parsePayloadMode(f.rawHeaders);
  const c = m.checksum ? `${m.checksum.algorithm}@${m.checksum.location}` : "none";
  return `${m.framing.kind} ${c} ${m.contentMd5 ? "md5" : "-"} ${m.payloadHash.kind}`;
}

/** Offset of a plaintext byte inside the (possibly aws-chunked) body. */
function plaintextOffset(f: ClientFixture, body: Buffer): number {
  const chunked = parsePayloadMode(f.rawHeaders).framing.kind === "aws-chunked";
  return (chunked ? body.indexOf("\r\n") + 2 : 0) + Math.floor(Math.min(f.plaintext.length, 1000) / 2);
}

void describe("real client requests (AWS CLI v1 / botocore 1.43, AWS CLI v2.9)", () => {
  void it("the captured set covers both CLIs and is what each is known to send", () => {
    assert.deepEqual(fixtures.map((f) => f.fixture.name).sort(), Object.keys(EXPECTED).sort());
    for (const { fixture } of fixtures) assert.equal(summary(fixture), EXPECTED[fixture.name], fixture.name);
    assert.ok(fixtures.some((f) => f.fixture.client.startsWith("aws-cli/1.45.11")));
    assert.ok(fixtures.some((f) => f.fixture.client.startsWith("aws-cli/2.9.19")));
  });

  for (const { fixture, body } of fixtures) {
    void it(`${fixture.name}: decodes and verifies under any chunking`, async () => {
      assert.equal(body.length, fixture.bodyLength);
      const chunkings =
        body.length < 100_000 ? [[1 << 20], [1], [3, 5, 7], [4096]] : [[1 << 20], [7919], [65536, 1]];
      for (const sizes of chunkings) {
        const r = await decode(fixture.rawHeaders, body, sizes);
        assert.equal(r.error, undefined, `${fixture.name} ${sizes.join(",")}: ${String(r.error)}`);
        assert.ok(r.ended);
        assert.equal(r.output.length, fixture.plaintext.length);
        assert.equal(sha256(r.output), fixture.plaintext.sha256);
      }
    });

    if (fixture.plaintext.length > 0) {
      void it(`${fixture.name}: a changed plaintext byte is refused (XAmzContentSHA256Mismatch first, else BadDigest)`, async () => {
        const bad = Buffer.from(body);
        const at = plaintextOffset(fixture, body);
        bad[at] = (bad[at] ?? 0) ^ 0x20;
        const r = await decode(fixture.rawHeaders, bad, [4096]);
        const m = parsePayloadMode(fixture.rawHeaders);
        assertCode(r.error, m.payloadHash.kind === "sha256" ? "XAmzContentSHA256Mismatch" : "BadDigest");
        assert.equal(r.ended, false);
      });
    }

    void it(`${fixture.name}: a truncated body is refused with IncompleteBody`, async () => {
      const r = await decode(fixture.rawHeaders, body.subarray(0, body.length - 1), [4096]);
      assertCode(r.error, "IncompleteBody");
    });
  }

  void it("a trailer checksum of other data → BadDigest", async () => {
    const f = fixtures.find((x) => x.fixture.name === "cli-v1-https-default");
    assert.ok(f);
    const text = f.body.toString("latin1");
    const value = /x-amz-checksum-crc32:([^\r]+)\r\n/.exec(text)?.[1] ?? "";
    const forged = text.replace(value, checksumOf("CRC32", Buffer.from("something else")));
    const r = await decode(f.fixture.rawHeaders, Buffer.from(forged, "latin1"), [1 << 20]);
    assertCode(r.error, "BadDigest");
  });

  void it("a Content-MD5 of other data → BadDigest, even though the CRC32 trailer matches", async () => {
    const f = fixtures.find((x) => x.fixture.name === "cli-v1-https-md5-gzip");
    assert.ok(f);
    const raw = [...f.fixture.rawHeaders];
    const i = raw.findIndex((h) => h.toLowerCase() === "content-md5");
    raw[i + 1] = createHash("md5").update("something else").digest("base64");
    assertCode((await decode(raw, f.body, [1 << 20])).error, "BadDigest");
  });

  void it("the gzip,aws-chunked capture keeps gzip for the stored object", () => {
    const f = fixtures.find((x) => x.fixture.name === "cli-v1-https-md5-gzip");
    assert.equal(f && parsePayloadMode(f.fixture.rawHeaders).storedContentEncoding, "gzip");
  });
});

void describe("AWS documentation examples through createBodyDecoding", () => {
  const signingKey = deriveSigningKey(AWS_DOC.secret, "20130524", "us-east-1", "s3");
  const calls: string[][] = [];
  const signingKeyFor: BodyDecodingOptions["signingKeyFor"] = (akid, date, region, service) => {
    calls.push([akid, date, region, service]);
    return akid === AWS_DOC.accessKeyId ? signingKey : undefined;
  };

  void it("STREAMING-AWS4-HMAC-SHA256-PAYLOAD: verified with the key, unverified without", async () => {
    const raw = headers(AWS_DOC.chunked.headers);
    const r = await decode(raw, docBody("chunked"), [1000], { signingKeyFor });
    assert.equal(r.error, undefined);
    assert.ok(r.output.equals(AWS_DOC.data));
    assert.equal(r.decoding.decoder?.signatures, "verified");
    assert.deepEqual(calls.at(-1), ["AKIAIOSFODNN7EXAMPLE", "20130524", "us-east-1", "s3"]);
    const anon = await decode(raw, docBody("chunked"), [1000]);
    assert.equal(anon.error, undefined);
    assert.equal(anon.decoding.decoder?.signatures, "unverified");
  });

  void it("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: signatures and the CRC32C trailer verified", async () => {
    const r = await decode(headers(AWS_DOC.trailer.headers), docBody("trailer"), [1], { signingKeyFor });
    assert.equal(r.error, undefined);
    assert.ok(r.output.equals(AWS_DOC.data));
    assert.equal(r.decoding.decoder?.signatures, "verified");
    assert.equal(r.decoding.verifier.digests.get("CRC32C")?.toString("base64"), "sOO8/Q==");
  });

  void it("a tampered chunk signature → SignatureDoesNotMatch; unverifiable without the key", async () => {
    const bad = Buffer.from(docBody("chunked").toString("latin1").replace("0055627c", "0055627d"), "latin1");
    const raw = headers(AWS_DOC.chunked.headers);
    assertCode((await decode(raw, bad, [4096], { signingKeyFor })).error, "SignatureDoesNotMatch");
    assert.equal((await decode(raw, bad, [4096])).error, undefined);
  });

  void it("a seed signature that is not the one the chunks chain from → SignatureDoesNotMatch", async () => {
    const raw = headers({
      ...AWS_DOC.chunked.headers,
      Authorization: AWS_DOC.chunked.headers.Authorization.replace(
        AWS_DOC.chunked.seed,
        AWS_DOC.trailer.seed,
      ),
    });
    assertCode(
      (await decode(raw, docBody("chunked"), [4096], { signingKeyFor })).error,
      "SignatureDoesNotMatch",
    );
  });

  void it("signed chunks without a parsable Authorization → AuthorizationHeaderMalformed", () => {
    const { Authorization: _a, ...rest } = AWS_DOC.chunked.headers;
    const raw = headers(rest);
    assert.throws(() => createBodyDecoding(parsePayloadMode(raw), raw), {
      code: "AuthorizationHeaderMalformed",
    });
  });
});
