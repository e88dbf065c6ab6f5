/**
 * A stored object as the offline tools see it, wherever it is: its user metadata (the envelope lives there),
 * its stored length, and random access to its stored bytes as streams. s3StoredObject.ts reads S3 directly
 * (HEAD, then ranged GETs pinned to what the HEAD saw); fileStoredObject.ts reads a downloaded file and the
 * metadata saved next to it. Everything above this interface is the same for both.
 */
import type { Readable } from "node:stream";

export interface StoredObject {
  /** `s3://bucket/key` or the file path, for messages. */
  readonly name: string;
  /** User metadata, names lower case with their `x-amz-meta-` prefix. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Stored (ciphertext) bytes. */
  readonly storedLength: number;
  readonly etag?: string;
  readonly versionId?: string;
  readonly lastModified?: Date;
  readonly contentType?: string;
  /** Stored bytes [start, end) as a stream; 0 <= start <= end <= storedLength. */
  read(start: number, end: number): Promise<Readable>;
}

/** Stored bytes [start, end) in memory: only for small spans (a record, at most 1 MiB + 32 bytes). */
export async function readStoredBytes(object: StoredObject, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await object.read(start, end)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
