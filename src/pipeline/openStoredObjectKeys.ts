/**
 * The keys that decrypt a stored object, from its envelope: the DEK unwrapped by the key provider under the
 * header's context (dekContext.ts), opened (openObjectKeys checks the key commitment) and zeroed. Key provider and commitment failures are thrown as they are; the caller maps them
 * (encryptErrors.ts).
 */
import { openObjectKeys, type Envelope, type ObjectKeys } from "../crypto/index.ts";
import { dekContextFor, type KeyProvider } from "../keys/index.ts";

export async function openStoredObjectKeys(keys: KeyProvider, envelope: Envelope): Promise<ObjectKeys> {
  const dek = await keys.unwrapDek(envelope.kekRef, envelope.wrappedDek, dekContextFor(envelope.header));
  try {
    return openObjectKeys(envelope.header, dek);
  } finally {
    dek.fill(0);
  }
}
