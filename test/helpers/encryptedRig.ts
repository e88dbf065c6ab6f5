/**
 * Shared pieces of the "real client through the encrypting proxy" acceptance tests: the encrypting proxy as a
 * child process in front of the radosgw rig, plaintext bodies with a canary string, and the direct check (no
 * proxy) that what radosgw stores is ciphertext of the right length with the canary nowhere in body or metadata.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Agent } from "node:https";
import { join } from "node:path";
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ciphertextLength } from "../../src/crypto/index.ts";
import { createDevelopmentKeyFile } from "../../src/keys/index.ts";
import type { RigDescriptor } from "../rig/rigEnv.ts";
import { startProxyProcess, type ProxyProcess } from "./proxyProcess.ts";

export const CANARY = "s3proxy-canary-d41d8cd98f00b204";
/** Edge sizes around the 64 KiB segment, and 7 MiB (below every client's multipart threshold when forced). */
export const SIZES = [0, 1, 65535, 65536, 65537, 7 * 1024 * 1024];

/** Random bytes with the canary embedded (where it fits). */
export function plaintext(size: number): Buffer {
  const b = randomBytes(size);
  if (size >= CANARY.length) b.write(CANARY, Math.floor((size - CANARY.length) / 2));
  return b;
}

/** Where the proxy's key file lives under `work` (startEncryptingProxy creates it). */
export const proxyKeyFile = (work: string): string => join(work, "keys", "kek.json");

/**
 * `s3proxy serve` in its default encrypting mode, a fresh key file under `work`, the rig's credentials. The
 * upstream is radosgw's TLS endpoint, or `upstreamEndpoint` (plain HTTP: e.g. a request-counting relay).
 */
export async function startEncryptingProxy(
  rig: RigDescriptor,
  work: string,
  options: { upstreamEndpoint?: string; extraArgs?: string[] } = {},
): Promise<ProxyProcess> {
  const keyFile = proxyKeyFile(work);
  await createDevelopmentKeyFile(keyFile);
  const upstream =
    options.upstreamEndpoint === undefined
      ? ["--upstream-endpoint", rig.httpsEndpoint, "--upstream-ca", rig.caFile]
      : ["--upstream-endpoint", options.upstreamEndpoint];
  return startProxyProcess([
    "--key-file",
    keyFile,
    "--access-key-id",
    rig.accessKeyId,
    "--secret-access-key",
    rig.secretAccessKey,
    "--region",
    rig.region,
    ...upstream,
    "--log-level",
    "debug",
    ...(options.extraArgs ?? []),
  ]);
}

/** An SDK client talking to radosgw directly (path style, trusting only the rig CA): sees what is stored. */
export async function directClient(rig: RigDescriptor): Promise<S3Client> {
  const ca = await readFile(rig.caFile, "utf8");
  return new S3Client({
    region: rig.region,
    endpoint: rig.httpsEndpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: rig.accessKeyId, secretAccessKey: rig.secretAccessKey },
    requestHandler: { httpsAgent: new Agent({ ca }) },
  });
}

/**
 * Reads `bucket/key` straight from radosgw and asserts it is ciphertext of `body`: ciphertext length, envelope
 * metadata present, the canary in neither metadata nor body, and no 64-byte run of the plaintext in the body.
 */
export async function assertStoredCiphertext(
  direct: S3Client,
  bucket: string,
  key: string,
  body: Buffer,
): Promise<void> {
  const size = body.length;
  const head = await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  assert.equal(head.ContentLength, ciphertextLength(size, 16), `${size} B: stored length`);
  assert.ok(head.Metadata?.["s3proxy-hdr"], `${size} B: no envelope metadata`);
  assert.ok(!JSON.stringify(head.Metadata).includes(CANARY), `${size} B: canary in stored metadata`);
  const got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const stored = Buffer.from(await got.Body!.transformToByteArray());
  assert.equal(stored.length, ciphertextLength(size, 16), `${size} B: stored body length`);
  assert.equal(stored.indexOf(CANARY), -1, `${size} B: plaintext canary stored in radosgw`);
  // No run of the plaintext either (long enough not to occur in ciphertext by chance).
  if (size >= 64) assert.equal(stored.indexOf(body.subarray(0, 64)), -1, `${size} B: plaintext stored`);
}
