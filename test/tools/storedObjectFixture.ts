/**
 * Stored objects for the tool tests, made with the format module exactly as the proxy stores them: a fresh
 * envelope, the DEK wrapped by a LocalKeyProvider, the plaintext encrypted as one part or as parts of
 * `partSize` bytes, and the envelope metadata (with the sealed MD5 when asked). As an in-memory StoredObject,
 * or as a file plus `aws s3api head-object`-style JSON.
 */
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  createEnvelope,
  encodeEnvelopeMetadata,
  openObjectKeys,
  sealPlaintextMd5,
  type Layout,
} from "../../src/crypto/index.ts";
import { dekContextFor, LocalKeyProvider } from "../../src/keys/index.ts";
import type { StoredObject } from "../../src/tools/StoredObject.ts";
import { encryptObject } from "../crypto/helpers.ts";
import { testKeySet } from "../keys/helpers.ts";

export function testProvider(ids: readonly string[] = ["kek-a"], active = ids[0]): LocalKeyProvider {
  return new LocalKeyProvider(testKeySet(ids, active));
}

export interface EncryptedObject {
  readonly stored: Buffer;
  /** x-amz-meta-* names. */
  readonly metadata: Record<string, string>;
}

export async function encryptedObject(
  provider: LocalKeyProvider,
  plaintext: Buffer,
  options: { layout?: Layout; segmentExponent?: number; partSize?: number; sealMd5?: boolean } = {},
): Promise<EncryptedObject> {
  const layout = options.layout ?? "single";
  const { header, dek } = createEnvelope({ layout, segmentExponent: options.segmentExponent ?? 12 });
  const keys = openObjectKeys(header, dek);
  const wrapped = await provider.wrapDek(dek, dekContextFor(header));
  const parts: Buffer[] = [];
  if (layout === "single") parts.push(plaintext);
  else {
    const size = options.partSize ?? plaintext.length;
    for (let at = 0; at < plaintext.length || parts.length === 0; at += size) {
      parts.push(plaintext.subarray(at, at + size));
    }
  }
  const stored = await encryptObject(keys, parts);
  const sealedMd5 =
    options.sealMd5 === true
      ? sealPlaintextMd5(keys, createHash("md5").update(plaintext).digest())
      : undefined;
  const metadata = encodeEnvelopeMetadata({
    header,
    kekRef: wrapped.kekRef,
    wrappedDek: wrapped.wrappedDek,
    ...(sealedMd5 === undefined ? {} : { sealedMd5 }),
  });
  return { stored, metadata };
}

/** An in-memory StoredObject that records the ranges read. */
export function memoryObject(
  stored: Buffer,
  metadata: Record<string, string>,
): StoredObject & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return {
    name: "memory",
    metadata,
    storedLength: stored.length,
    reads,
    read(start, end) {
      reads.push([start, end]);
      // Small chunks, to exercise record boundaries inside chunks.
      const chunks: Buffer[] = [];
      for (let at = start; at < end; at += 5000) chunks.push(stored.subarray(at, Math.min(at + 5000, end)));
      return Promise.resolve(Readable.from(chunks));
    },
  };
}

/** The object as a downloaded file and `aws s3api head-object` JSON next to it. */
export async function writeObjectFiles(
  dir: string,
  object: EncryptedObject,
  name = "object.bin",
): Promise<{ file: string; metadataFile: string }> {
  const file = join(dir, name);
  const metadataFile = join(dir, `${name}.json`);
  await writeFile(file, object.stored);
  const userMetadata = Object.fromEntries(
    Object.entries(object.metadata).map(([k, v]) => [k.replace(/^x-amz-meta-/, ""), v]),
  );
  await writeFile(
    metadataFile,
    JSON.stringify({ ContentLength: object.stored.length, ETag: '"0123"', Metadata: userMetadata }, null, 2),
  );
  return { file, metadataFile };
}
