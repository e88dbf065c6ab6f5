/**
 * The `kms` key provider: DEKs wrapped by AWS KMS under a symmetric KMS key, which never leaves KMS. The wrapped
 * DEK is the KMS ciphertext blob; the reference is `kms:<key ARN as KMS reports it>` (docs/FORMAT.md §2).
 *
 * - wrapDek is Encrypt, generateDataKey is GenerateDataKey with NumberOfBytes 32, unwrapDek is Decrypt with the
 *   reference's key as KeyId: naming the key is the documented best practice, so a blob cannot make KMS use
 *   another key the proxy may also decrypt with
 *   (https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html#KMS-Decrypt-request-KeyId).
 * - Every call carries EncryptionContext = dekContextPairs(context): KMS binds it to the blob as additional
 *   authenticated data, so Decrypt fails unless the same pairs are presented, and it appears in CloudTrail
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html). A DEK moved onto another
 *   object's envelope therefore does not unwrap.
 * - Decrypt is attempted for any `kms:` reference: KMS decides which keys the proxy's credentials may use.
 *   `listKekIds` is the configured keys: the active one and the old ones named for rotation.
 *
 * `create` resolves configured key ids (id, ARN, alias) to ARNs with DescribeKey and checks that the active key
 * is an enabled symmetric encryption key, so a wrong key, region or permission stops the proxy at start rather
 * than at the first PUT. Failures map to KeyProviderErrors (kmsKeyError.ts); retries are RetryingKeyProvider's.
 */
import { KeyError } from "../crypto/index.ts";
import { dekContextPairs, type DekContext } from "./dekContext.ts";
import { DekUnwrapError, KekNotFoundError } from "./errors.ts";
import { formatKekRef, parseKekRef } from "./kekRef.ts";
import type { GeneratedDataKey, KeyProvider, WrappedDek } from "./KeyProvider.ts";
import type { KmsApi, KmsKeyDescription } from "./kmsApi.ts";
import { kmsKeyError, type KmsOperation } from "./kmsKeyError.ts";

export const KEK_SCHEME_KMS = "kms";

const DEK_LENGTH = 32;
/** KMS ciphertext blobs are 1..6144 bytes (CiphertextBlob constraints); anything else is refused unsent. */
const MAX_CIPHERTEXT_BLOB = 6144;

export interface KmsKeyProviderOptions {
  /** The KMS key new DEKs are wrapped with: key id, key ARN, alias name or alias ARN. */
  readonly keyId: string;
  /** Keys of earlier rotations, listed by listKekIds (Decrypt works for any key the credentials allow). */
  readonly oldKeyIds?: readonly string[];
}

export class KmsKeyProvider implements KeyProvider {
  readonly scheme = KEK_SCHEME_KMS;
  readonly #api: KmsApi;
  readonly #activeArn: string;
  readonly #kekIds: readonly string[];

  /** `activeArn` and `oldArns` are key ARNs (see `create`). No I/O. */
  constructor(api: KmsApi, activeArn: string, oldArns: readonly string[] = []) {
    this.#api = api;
    this.#activeArn = activeArn;
    this.#kekIds = [activeArn, ...oldArns.filter((arn) => arn !== activeArn)];
    formatKekRef(this.scheme, activeArn); // throws on an id no envelope could store
  }

  /** Resolves the configured keys to ARNs (DescribeKey) and checks the active key can wrap. */
  static async create(api: KmsApi, options: KmsKeyProviderOptions): Promise<KmsKeyProvider> {
    const active = await describe(api, options.keyId);
    if (active.keyState !== undefined && active.keyState !== "Enabled") {
      throw new KekNotFoundError(
        formatKekRef(KEK_SCHEME_KMS, active.arn),
        `KMS key "${options.keyId}" (${active.arn}) is ${active.keyState}, not Enabled: it cannot wrap new DEKs`,
      );
    }
    if (
      (active.keyUsage !== undefined && active.keyUsage !== "ENCRYPT_DECRYPT") ||
      (active.keySpec !== undefined && active.keySpec !== "SYMMETRIC_DEFAULT")
    ) {
      throw new KekNotFoundError(
        formatKekRef(KEK_SCHEME_KMS, active.arn),
        `KMS key "${options.keyId}" is ${active.keySpec ?? "?"}/${active.keyUsage ?? "?"}: ` +
          "s3proxy needs a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)",
      );
    }
    const old: string[] = [];
    for (const keyId of options.oldKeyIds ?? []) old.push((await describe(api, keyId)).arn);
    return new KmsKeyProvider(api, active.arn, old);
  }

  activeKekId(): string {
    return this.#activeArn;
  }

  listKekIds(): readonly string[] {
    return this.#kekIds;
  }

  async wrapDek(dek: Buffer, context: DekContext): Promise<WrappedDek> {
    checkDekLength(dek);
    const out = await this.#call("Encrypt", this.#activeRef(), () =>
      this.#api.encrypt(this.#activeArn, dek, dekContextPairs(context)),
    );
    return { kekRef: this.#reportedRef(out.keyId), wrappedDek: Buffer.from(out.ciphertext) };
  }

  async generateDataKey(context: DekContext): Promise<GeneratedDataKey> {
    const out = await this.#call("GenerateDataKey", this.#activeRef(), () =>
      this.#api.generateDataKey(this.#activeArn, DEK_LENGTH, dekContextPairs(context)),
    );
    const dek = takePlaintext(out.plaintext);
    if (dek.length !== DEK_LENGTH) {
      dek.fill(0);
      throw new Error(`KMS GenerateDataKey returned ${dek.length} bytes instead of ${DEK_LENGTH}`);
    }
    return { dek, kekRef: this.#reportedRef(out.keyId), wrappedDek: Buffer.from(out.ciphertext) };
  }

  async unwrapDek(kekRef: string, wrappedDek: Buffer, context: DekContext): Promise<Buffer> {
    const parsed = parseKekRef(kekRef);
    if (parsed?.scheme !== this.scheme) {
      throw new KekNotFoundError(kekRef, `KEK reference "${kekRef}" is not a ${this.scheme}:<key> reference`);
    }
    if (wrappedDek.length === 0 || wrappedDek.length > MAX_CIPHERTEXT_BLOB) {
      throw new DekUnwrapError(
        kekRef,
        `the wrapped DEK (${wrappedDek.length} bytes) is no KMS ciphertext blob for "${kekRef}"`,
      );
    }
    const out = await this.#call("Decrypt", kekRef, () =>
      this.#api.decrypt(parsed.id, wrappedDek, dekContextPairs(context)),
    );
    const dek = takePlaintext(out.plaintext);
    if (dek.length !== DEK_LENGTH) {
      dek.fill(0);
      throw new DekUnwrapError(kekRef, `the blob under "${kekRef}" does not hold a ${DEK_LENGTH}-byte DEK`);
    }
    return dek;
  }

  #activeRef(): string {
    return formatKekRef(this.scheme, this.#activeArn);
  }

  /** The reference of the key KMS says it used (the configured ARN unless an alias moved meanwhile). */
  #reportedRef(keyId: string): string {
    return formatKekRef(this.scheme, keyId);
  }

  async #call<T>(operation: KmsOperation, kekRef: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw kmsKeyError(err, operation, kekRef);
    }
  }
}

async function describe(api: KmsApi, keyId: string): Promise<KmsKeyDescription> {
  try {
    return await api.describeKey(keyId);
  } catch (err) {
    throw kmsKeyError(err, "DescribeKey", `${KEK_SCHEME_KMS}:${keyId}`);
  }
}

function checkDekLength(dek: Buffer): void {
  if (dek.length !== DEK_LENGTH) {
    throw new KeyError("KeyInvalid", `a DEK is ${DEK_LENGTH} bytes, not ${dek.length}`);
  }
}

/** The SDK's plaintext as a Buffer over the same memory, so zeroing the Buffer zeroes the SDK's bytes too. */
function takePlaintext(plaintext: Uint8Array): Buffer {
  return Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
}
