/**
 * What `s3proxy inspect` says about a stored object, computed from facts already read (pure): the envelope's
 * fields (docs/FORMAT.md §2-3), the lengths that follow from the stored length (§6), and for multipart objects
 * the part geometry that follows from record 0's count K (§9). Nothing secret is in it: the wrapped DEK only by
 * its length, never a key byte; the plaintext MD5 only when the caller verified it with the KEK.
 */
import {
  encodeEnvelopeMetadata,
  isCryptoError,
  kekScheme,
  metadataBytes,
  partSpan,
  plaintextLength,
  recordCount,
  segmentSize,
  type Envelope,
} from "../crypto/index.ts";

export const SUITE_NAMES: Readonly<Record<number, string>> = {
  1: "AES-256-GCM records, HKDF-SHA256, 32-byte key commitment",
};

export interface ObjectFacts {
  readonly name: string;
  readonly storedLength: number;
  readonly etag?: string | undefined;
  readonly versionId?: string | undefined;
  readonly lastModified?: Date | undefined;
  readonly contentType?: string | undefined;
}

/** Record 0's count, as read in the clear, or authenticated with the DEK. */
export interface RecordsPerPart {
  readonly count: number;
  readonly authenticated: boolean;
}

export interface Verification {
  /** The KEK unwrapped the DEK and the DEK matches the key commitment. */
  readonly dek: boolean;
  /** Record 0 decrypted and sits at its position. */
  readonly record0: boolean;
  /** Hex MD5 of the plaintext, opened from x-amz-meta-s3proxy-md5. */
  readonly plaintextMd5?: string;
}

export interface InspectReport {
  readonly object: string;
  readonly etag?: string;
  readonly versionId?: string;
  readonly lastModified?: string;
  readonly contentType?: string;
  readonly storedLength: number;
  readonly encrypted: boolean;
  readonly envelope?: {
    readonly formatVersion: number;
    readonly suite: number;
    readonly suiteName: string;
    readonly segmentExponent: number;
    readonly segmentSize: number;
    readonly layout: "single" | "multipart";
    readonly salt: string;
    readonly commitment: string;
    readonly kekRef: string;
    readonly kekScheme: string;
    readonly wrappedDekLength: number;
    readonly sealedMd5: boolean;
    /** Bytes the envelope takes of S3's 2 KB user-metadata budget (FORMAT.md §2). */
    readonly metadataBytes: number;
  };
  readonly plaintextLength?: number;
  readonly recordCount?: number;
  /** Set when the stored length is impossible for the envelope's segment size. */
  readonly lengthProblem?: string;
  readonly multipart?: {
    readonly recordsPerPart: number;
    readonly recordsPerPartAuthenticated: boolean;
    readonly partCount?: number;
    readonly partPlaintextLength?: number;
    readonly lastPartPlaintextLength?: number;
    readonly problem?: string;
  };
  readonly verified?: Verification;
}

function objectFields(facts: ObjectFacts) {
  return {
    object: facts.name,
    ...(facts.etag === undefined ? {} : { etag: facts.etag }),
    ...(facts.versionId === undefined ? {} : { versionId: facts.versionId }),
    ...(facts.lastModified === undefined ? {} : { lastModified: facts.lastModified.toISOString() }),
    ...(facts.contentType === undefined ? {} : { contentType: facts.contentType }),
    storedLength: facts.storedLength,
  };
}

function message(err: unknown): string {
  if (isCryptoError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

function multipartGeometry(c: number, e: number, k: RecordsPerPart): NonNullable<InspectReport["multipart"]> {
  const base = { recordsPerPart: k.count, recordsPerPartAuthenticated: k.authenticated };
  try {
    const parts = Math.ceil(recordCount(c, e) / k.count);
    const last = partSpan(c, e, k.count, parts);
    return {
      ...base,
      partCount: parts,
      partPlaintextLength: k.count * segmentSize(e),
      lastPartPlaintextLength: last.plaintextLength,
    };
  } catch (err) {
    return { ...base, problem: message(err) };
  }
}

export function legacyReport(facts: ObjectFacts): InspectReport {
  return { ...objectFields(facts), encrypted: false };
}

export function inspectReport(
  facts: ObjectFacts,
  envelope: Envelope,
  recordsPerPart?: RecordsPerPart,
  verified?: Verification,
): InspectReport {
  const h = envelope.header;
  const c = facts.storedLength;
  let lengths: Pick<InspectReport, "plaintextLength" | "recordCount" | "lengthProblem">;
  try {
    lengths = {
      plaintextLength: plaintextLength(c, h.segmentExponent),
      recordCount: recordCount(c, h.segmentExponent),
    };
  } catch (err) {
    lengths = { lengthProblem: message(err) };
  }
  return {
    ...objectFields(facts),
    encrypted: true,
    envelope: {
      formatVersion: h.version,
      suite: h.suite,
      suiteName: SUITE_NAMES[h.suite] ?? "unknown",
      segmentExponent: h.segmentExponent,
      segmentSize: segmentSize(h.segmentExponent),
      layout: h.layout,
      salt: h.salt.toString("hex"),
      commitment: h.commitment.toString("hex"),
      kekRef: envelope.kekRef,
      kekScheme: kekScheme(envelope.kekRef),
      wrappedDekLength: envelope.wrappedDek.byteLength,
      sealedMd5: envelope.sealedMd5 !== undefined,
      metadataBytes: metadataBytes(encodeEnvelopeMetadata(envelope)),
    },
    ...lengths,
    ...(h.layout === "multipart" && recordsPerPart !== undefined && lengths.lengthProblem === undefined
      ? { multipart: multipartGeometry(c, h.segmentExponent, recordsPerPart) }
      : {}),
    ...(verified === undefined ? {} : { verified }),
  };
}
