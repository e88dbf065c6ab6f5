/**
 * The client-visible ETag (clientEtag.ts) of a stored object known from a HEAD: its stored ETag and its envelope
 * (null: no envelope, legacy plaintext, shown as stored). Opening a recorded plaintext MD5 needs the object's DEK,
 * so this is where the key provider is asked, once per call; objects without a recorded MD5 cost nothing.
 * Shared by conditional requests (conditionalRequest.ts) and listings (headListedObject.ts), so both compare and
 * show the same validator as HEAD and GET do.
 */
import type { Envelope } from "../crypto/index.ts";
import type { KeyProvider } from "../keys/index.ts";
import { encryptedObjectEtag, nonMd5Etag } from "./clientEtag.ts";
import { openStoredObjectKeys } from "./openStoredObjectKeys.ts";

/** Throws DecryptAuthFailed for a tampered recorded MD5, and the key provider's errors. */
export async function clientEtagOf(
  stored: string,
  envelope: Envelope | null,
  keys: KeyProvider,
): Promise<string> {
  if (envelope === null) return stored;
  if (envelope.sealedMd5 === undefined) return nonMd5Etag(stored);
  return encryptedObjectEtag(stored, envelope, await openStoredObjectKeys(keys, envelope));
}
