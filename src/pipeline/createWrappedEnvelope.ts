/**
 * The envelope of a new object (PutObject, a re-encrypted copy) or multipart upload (docs/FORMAT.md §2, §9): a
 * fresh DEK and header (createEnvelope), the DEK wrapped by the key provider under the header's context
 * (dekContext.ts), and what the writer needs from the plaintext DEK (`derive`: the object keys, the upload
 * token key), taken before the DEK is zeroed. The plaintext DEK never leaves this function.
 */
import { createEnvelope, type Envelope, type EnvelopeHeader, type Layout } from "../crypto/index.ts";
import { dekContextFor, type KeyProvider } from "../keys/index.ts";

export interface WrappedEnvelope<T> {
  /** Header and wrapped DEK, ready for encodeEnvelopeMetadata (or an upload token). */
  readonly envelope: Envelope;
  readonly derived: T;
}

export async function createWrappedEnvelope<T>(
  keys: KeyProvider,
  layout: Layout,
  derive: (header: EnvelopeHeader, dek: Buffer) => T,
): Promise<WrappedEnvelope<T>> {
  const { header, dek } = createEnvelope({ layout });
  try {
    const wrapped = await keys.wrapDek(dek, dekContextFor(header));
    return {
      envelope: { header, kekRef: wrapped.kekRef, wrappedDek: wrapped.wrappedDek },
      derived: derive(header, dek),
    };
  } finally {
    dek.fill(0);
  }
}
