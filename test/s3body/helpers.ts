/**
 * Shared tools for the s3body tests: an independent aws-chunked encoder (signed or unsigned, with trailers) to
 * produce bodies, a runner that feeds bytes in a chosen chunking through the decoding streams and reports what
 * came out and how it failed, and the two AWS documentation examples of signed chunked uploads as fixtures.
 */
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { Readable, Writable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import type { ErrorCode } from "../../src/errors/errorCodes.ts";

const sha256hex = (d: Uint8Array | string): string => createHash("sha256").update(d).digest("hex");
const EMPTY = sha256hex("");

export interface SignWith {
  key: Buffer;
  timestamp: string;
  scope: string;
  seed: string;
}

/** Encodes like an SDK would, written from the AWS docs independently of the decoder under test. */
export function encodeAwsChunked(
  plaintext: Buffer,
  chunkSizes: number[],
  opts: { sign?: SignWith; trailers?: [string, string][]; signTrailer?: boolean } = {},
): Buffer {
  const parts: Buffer[] = [];
  let previous = opts.sign?.seed ?? "";
  const signature = (data: Buffer): string => {
    const s = opts.sign as SignWith;
    const sts = `AWS4-HMAC-SHA256-PAYLOAD\n${s.timestamp}\n${s.scope}\n${previous}\n${EMPTY}\n${sha256hex(data)}`;
    previous = createHmac("sha256", s.key).update(sts).digest("hex");
    return previous;
  };
  const header = (data: Buffer): string =>
    data.length.toString(16) + (opts.sign ? `;chunk-signature=${signature(data)}` : "");
  let at = 0;
  let i = 0;
  while (at < plaintext.length) {
    const size = Math.max(1, Math.min(chunkSizes[i++ % chunkSizes.length] ?? 1, plaintext.length - at));
    const data = plaintext.subarray(at, at + size);
    parts.push(Buffer.from(`${header(data)}\r\n`), data, Buffer.from("\r\n"));
    at += size;
  }
  parts.push(Buffer.from(`${header(Buffer.alloc(0))}\r\n`));
  for (const [name, value] of opts.trailers ?? []) parts.push(Buffer.from(`${name}:${value}\r\n`));
  if (opts.signTrailer && opts.sign) {
    const canonical = (opts.trailers ?? []).map(([n, v]) => `${n}:${v}\n`).join("");
    const sts = `AWS4-HMAC-SHA256-TRAILER\n${opts.sign.timestamp}\n${opts.sign.scope}\n${previous}\n${sha256hex(canonical)}`;
    parts.push(
      Buffer.from(
        `x-amz-trailer-signature:${createHmac("sha256", opts.sign.key).update(sts).digest("hex")}\r\n`,
      ),
    );
  }
  parts.push(Buffer.from("\r\n"));
  return Buffer.concat(parts);
}

/** Splits `input` into pieces of the given sizes (cycled); sizes of 0 are skipped. */
export function split(input: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  let i = 0;
  while (at < input.length) {
    const n = Math.max(1, sizes[i++ % sizes.length] ?? 1);
    out.push(input.subarray(at, at + n));
    at += n;
  }
  return out;
}

export interface RunResult {
  output: Buffer;
  error: unknown;
  /** True if the last stream emitted 'end'. */
  ended: boolean;
}

/** Pipes `pieces` through `transforms` into a collector; never rejects. */
export async function run(transforms: Transform[], pieces: Buffer[]): Promise<RunResult> {
  const out: Buffer[] = [];
  let ended = false;
  const last = transforms[transforms.length - 1];
  last?.on("end", () => {
    ended = true;
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk);
      cb();
    },
  });
  let error: unknown;
  try {
    await pipeline([Readable.from(pieces, { objectMode: false }), ...transforms, sink]);
  } catch (err) {
    error = err;
  }
  return { output: Buffer.concat(out), error, ended };
}

export function assertCode(error: unknown, code: ErrorCode, message?: string): void {
  assert.ok(error instanceof ProxyError, `expected ProxyError ${code}, got ${String(error)}`);
  assert.equal(error.code, code, message ?? error.message);
}

export function throwsCode(fn: () => unknown, code: ErrorCode): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assertCode(caught, code);
}

/** Raw header array from pairs. */
export const headers = (pairs: Record<string, string>): string[] => Object.entries(pairs).flat();

/**
 * The two examples of https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html (66,560 bytes of
 * 'a' in chunks of 65,536 + 1,024 + 0) and .../sigv4-streaming-trailers.html (the same, plus a CRC32C trailer
 * signed with AWS4-HMAC-SHA256-TRAILER). Seed signatures reproduced from the documented requests.
 */
export const AWS_DOC = {
  secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  timestamp: "20130524T000000Z",
  scope: "20130524/us-east-1/s3/aws4_request",
  data: Buffer.alloc(66560, "a"),
  chunked: {
    seed: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
    chunks: [
      "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
      "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
      "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
    ],
    headers: {
      Host: "s3.amazonaws.com",
      "x-amz-date": "20130524T000000Z",
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
      Authorization:
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
      "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "Content-Encoding": "aws-chunked",
      "x-amz-decoded-content-length": "66560",
      "Content-Length": "66824",
    },
  },
  trailer: {
    seed: "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
    chunks: [
      "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
      "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
      "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
    ],
    checksum: "sOO8/Q==",
    trailerSignature: "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435",
    headers: {
      Host: "s3.amazonaws.com",
      "x-amz-date": "20130524T000000Z",
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
      Authorization:
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
      "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
      "Content-Encoding": "aws-chunked",
      "x-amz-decoded-content-length": "66560",
      "x-amz-trailer": "x-amz-checksum-crc32c",
      "Transfer-Encoding": "chunked",
    },
  },
} as const;

/** The documented body bytes, built from the documented signatures (not from any signer). */
export function docBody(example: "chunked" | "trailer"): Buffer {
  const ex = AWS_DOC[example];
  const [s1, s2, s3] = ex.chunks;
  const data = AWS_DOC.data;
  const parts = [
    Buffer.from(`10000;chunk-signature=${s1}\r\n`),
    data.subarray(0, 65536),
    Buffer.from(`\r\n400;chunk-signature=${s2}\r\n`),
    data.subarray(65536),
    Buffer.from(`\r\n0;chunk-signature=${s3}\r\n`),
  ];
  if (example === "trailer") {
    parts.push(
      Buffer.from(
        `x-amz-checksum-crc32c:${AWS_DOC.trailer.checksum}\r\nx-amz-trailer-signature:${AWS_DOC.trailer.trailerSignature}\r\n`,
      ),
    );
  }
  parts.push(Buffer.from("\r\n"));
  return Buffer.concat(parts);
}
