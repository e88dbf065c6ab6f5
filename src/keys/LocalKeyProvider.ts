/**
 * The `aeskw` key provider: 256-bit AES KEKs held by the proxy itself (from a key file, an environment
 * variable or a Secret directory), DEKs wrapped with AES key wrap (RFC 3394) by the format module's
 * wrapDekAesKw, so the wrapped DEK is exactly the 40 bytes docs/FORMAT.md §2 specifies.
 *
 * AES-KW has no associated data, and the aeskw bytes are fixed by the format, so this provider binds nothing
 * of the DekContext; the envelope's key commitment already ties the DEK to its object (FORMAT.md §4.3).
 * A provider is immutable: rotation writes a new key set (addKey.ts) and the proxy loads a new provider.
 * Key bytes live in a private field, out of reach of util.inspect and JSON.stringify.
 */
import { KEK_SCHEME_AES_KW, unwrapDekAesKw, wrapDekAesKw } from "../crypto/index.ts";
import type { DekContext } from "./dekContext.ts";
import { DekUnwrapError, KekNotFoundError } from "./errors.ts";
import { formatKekRef, parseKekRef } from "./kekRef.ts";
import type { KeyProvider, WrappedDek } from "./KeyProvider.ts";
import { type KeySet, validateKeySet } from "./keySet.ts";

export class LocalKeyProvider implements KeyProvider {
  readonly scheme = KEK_SCHEME_AES_KW;
  readonly #keks: ReadonlyMap<string, Buffer>;
  readonly #active: string;
  readonly #activeRef: string;

  /** `source` names where the keys came from in error messages. */
  constructor(keySet: KeySet, source = "key set") {
    const valid = validateKeySet(keySet, source);
    this.#keks = new Map(valid.keys.map(({ id, key }) => [id, key.export()]));
    this.#active = valid.active;
    this.#activeRef = formatKekRef(this.scheme, valid.active);
  }

  activeKekId(): string {
    return this.#active;
  }

  listKekIds(): readonly string[] {
    return [...this.#keks.keys()];
  }

  wrapDek(dek: Buffer, _context: DekContext): Promise<WrappedDek> {
    return settle(() => ({
      kekRef: this.#activeRef,
      wrappedDek: wrapDekAesKw(this.#kek(this.#active), dek),
    }));
  }

  unwrapDek(kekRef: string, wrappedDek: Buffer, _context: DekContext): Promise<Buffer> {
    return settle(() => {
      const parsed = parseKekRef(kekRef);
      if (parsed?.scheme !== this.scheme) {
        throw new KekNotFoundError(
          kekRef,
          `KEK reference "${kekRef}" is not an ${this.scheme}:<id> reference`,
        );
      }
      if (!this.#keks.has(parsed.id)) {
        throw new KekNotFoundError(
          kekRef,
          `KEK "${kekRef}" is not configured (this proxy holds ${this.#keks.size} ${this.scheme} keys; ` +
            `active "${this.#active}")`,
        );
      }
      try {
        return unwrapDekAesKw(this.#kek(parsed.id), wrappedDek);
      } catch (cause) {
        throw new DekUnwrapError(
          kekRef,
          `the wrapped DEK does not unwrap under "${kekRef}" (wrong KEK or corrupted wrapped DEK)`,
          { cause },
        );
      }
    });
  }

  #kek(id: string): Buffer {
    const kek = this.#keks.get(id);
    if (kek === undefined) throw new Error(`unreachable: no key "${id}"`);
    return kek;
  }
}

/** The work is synchronous (AES-KW); the interface is async for remote providers. Throws become rejections. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
