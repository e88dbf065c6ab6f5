/**
 * The plaintext of a stored object, or a byte range of it, as a stream source plus the Transforms to pipe it
 * through (the caller owns the pipeline and so its backpressure and error handling):
 *
 * 1. the envelope from the object's metadata (none: legacy plaintext, refused unless `allowPlaintext`);
 * 2. the DEK unwrapped by the key configuration and checked against the key commitment (FORMAT.md §4.3);
 * 3. the records the range touches (FORMAT.md §7: planRange), plus record 0 when a multipart range starts past
 *    it, for the records per part K (§9), which only record 0's authenticated count gives;
 * 4. the decrypt stream, which releases a record's plaintext only after its tag and position verified (§8);
 * 5. for the whole object with a sealed MD5 (§2.1), an MD5 check at the end.
 */
import type { Readable, Transform } from "node:stream";
import {
  createDecryptStream,
  openPlaintextMd5,
  partSegmentsFromFirstRecord,
  planRange,
  plaintextLength,
  readEnvelopeMetadata,
  recordLength,
} from "../crypto/index.ts";
import type { KeyProvider } from "../keys/index.ts";
import { openStoredObjectKeys } from "../pipeline/openStoredObjectKeys.ts";
import { resolvePlaintextRange, type ByteSpan, type PlaintextRangeSpec } from "./parsePlaintextRange.ts";
import { createPlaintextMd5Check } from "./plaintextMd5Check.ts";
import { readStoredBytes, type StoredObject } from "./StoredObject.ts";
import { ToolError } from "./ToolError.ts";

export interface OpenPlaintextOptions {
  /** Loaded only when the object turns out to be encrypted (a legacy object needs no keys). */
  readonly keys: () => Promise<KeyProvider>;
  readonly range?: PlaintextRangeSpec | undefined;
  /** Copy an object without an envelope as stored instead of refusing it. */
  readonly allowPlaintext?: boolean;
}

export interface PlaintextStreams {
  readonly source: Readable;
  readonly transforms: Transform[];
  readonly encrypted: boolean;
  readonly plaintextLength: number;
  /** The plaintext bytes that will come out. */
  readonly span: ByteSpan;
  /** True when the whole plaintext is checked against the sealed MD5 at the end. */
  readonly md5Checked: boolean;
}

function spanOf(range: PlaintextRangeSpec | undefined, length: number): ByteSpan {
  return range === undefined ? { start: 0, end: length } : resolvePlaintextRange(range, length);
}

export async function openPlaintext(
  object: StoredObject,
  options: OpenPlaintextOptions,
): Promise<PlaintextStreams> {
  const envelope = readEnvelopeMetadata(object.metadata);
  const c = object.storedLength;
  if (envelope === null) {
    if (options.allowPlaintext !== true) {
      throw new ToolError(
        "NotEncrypted",
        `${object.name} has no s3proxy envelope (x-amz-meta-s3proxy-hdr): it is stored as plaintext. ` +
          "Use --allow-plaintext to copy it as it is.",
      );
    }
    const span = spanOf(options.range, c);
    return {
      source: await object.read(span.start, span.end),
      transforms: [],
      encrypted: false,
      plaintextLength: c,
      span,
      md5Checked: false,
    };
  }
  const e = envelope.header.segmentExponent;
  const p = plaintextLength(c, e);
  const span = spanOf(options.range, p);
  const whole = span.start === 0 && span.end === p;
  const keys = await openStoredObjectKeys(await options.keys(), envelope);
  const plan = planRange({
    segmentExponent: e,
    ciphertextLength: c,
    ...(whole ? {} : { start: span.start, end: span.end }),
  });
  const partSegments =
    envelope.header.layout === "multipart" && plan.firstRecord > 0
      ? partSegmentsFromFirstRecord(keys, await readStoredBytes(object, 0, recordLength(0, c, e)), c)
      : undefined;
  // Opened before any byte goes out: a sealed MD5 that does not authenticate is an error up front.
  const md5 =
    whole && envelope.sealedMd5 !== undefined ? openPlaintextMd5(keys, envelope.sealedMd5) : undefined;
  const decrypt = createDecryptStream({
    keys,
    plan,
    ...(partSegments === undefined ? {} : { partSegments }),
  });
  return {
    source: await object.read(plan.cipherStart, plan.cipherEnd),
    transforms: md5 === undefined ? [decrypt] : [decrypt, createPlaintextMd5Check(md5)],
    encrypted: true,
    plaintextLength: p,
    span,
    md5Checked: md5 !== undefined,
  };
}
