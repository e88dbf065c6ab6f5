/**
 * Shared fixtures for the SigV4 tests: the S3 documentation's examples (test/vectors/sigv4/s3-docs.json), a
 * fixed clock, and small helpers for tampering with requests and asserting ProxyError codes.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { ErrorCode } from "../../src/errors/errorCodes.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import type { RawHeaders } from "../../src/http/hopByHop.ts";
import type { IncomingRequest } from "../../src/sigv4/IncomingRequest.ts";

export interface DocRequest {
  name: string;
  method: string;
  path: string;
  query: string;
  headers: [string, string][];
  payloadHash: string;
  signature: string;
}

export interface DocVector extends DocRequest {
  signedHeaders: string;
  canonicalRequestSha256: string;
  body?: string;
  resigned?: { signedHeaders: string; signature: string };
}

export interface DocFile {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  service: string;
  now: string;
  vectors: DocVector[];
  presigned: Omit<DocRequest, "payloadHash"> & { expiresIn: number; canonicalRequestSha256: string };
  chunkedSeeds: (DocRequest & { firstChunkSignature: string })[];
}

export const DOC = JSON.parse(
  readFileSync(new URL("../vectors/sigv4/s3-docs.json", import.meta.url), "utf8"),
) as DocFile;

export const DOC_NOW = new Date(DOC.now);
export const at = (iso: string | number): (() => Date) => {
  const d = new Date(iso);
  return () => d;
};
export const docClock = at(DOC.now);

export const flat = (pairs: readonly (readonly [string, string])[]): RawHeaders =>
  pairs.flatMap(([n, v]) => [n, v]);

export function incoming(r: Pick<DocRequest, "method" | "path" | "query" | "headers">): IncomingRequest {
  return { method: r.method, path: r.path, query: r.query, headers: flat(r.headers) };
}

/** The secret lookup the documentation's examples verify with. */
export const docSecrets = (id: string): string | undefined =>
  id === DOC.credentials.accessKeyId ? DOC.credentials.secretAccessKey : undefined;

/** Flips the lowest bit of the character at `index` (a one-bit change that stays printable ASCII). */
export function flipBit(text: string, index: number): string {
  const code = text.charCodeAt(index);
  assert.ok(code > 0x20 && code < 0x7e, `flipBit: no printable ASCII at ${index} of ${JSON.stringify(text)}`);
  return text.slice(0, index) + String.fromCharCode(code ^ 1) + text.slice(index + 1);
}

export function setHeader(raw: RawHeaders, name: string, value: string): RawHeaders {
  const out = [...raw];
  const i = out.findIndex((h, j) => j % 2 === 0 && h.toLowerCase() === name.toLowerCase());
  assert.ok(i >= 0, `no ${name} header`);
  out[i + 1] = value;
  return out;
}

export function headerOf(raw: RawHeaders, name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2)
    if (raw[i]?.toLowerCase() === name.toLowerCase()) return raw[i + 1];
  return undefined;
}

export const signatureOf = (authorization: string | undefined): string =>
  /Signature=([0-9a-f]{64})/.exec(authorization ?? "")?.[1] ?? "";

export async function rejectsCode(
  promise: Promise<unknown>,
  code: ErrorCode,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ProxyError, `expected ProxyError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}
