/**
 * The KeyProvider the proxy uses: several providers, one per KEK-reference scheme (`aeskw` local keys, `kms`,
 * later `pkcs11` and `grpc`). New DEKs are wrapped by the active provider under its active KEK; a stored DEK is
 * unwrapped by the provider owning its reference's scheme, so objects written under any configured provider stay
 * readable while another one writes (moving from local keys to KMS is: add KMS, make it active, re-wrap later).
 * An unknown scheme is KekNotFound.
 *
 * `scheme`, `activeKekId()` and `listKekIds()` are the active provider's (ids are only unique within a scheme);
 * `kekRefs()` lists every KEK of every provider as a full reference. Pure routing: no I/O of its own.
 */
import type { DekContext } from "./dekContext.ts";
import { KekNotFoundError } from "./errors.ts";
import { formatKekRef, parseKekRef } from "./kekRef.ts";
import type { GeneratedDataKey, KeyProvider, WrappedDek } from "./KeyProvider.ts";

export class KeyRing implements KeyProvider {
  readonly scheme: string;
  readonly generateDataKey?: (context: DekContext) => Promise<GeneratedDataKey>;
  readonly #active: KeyProvider;
  readonly #byScheme: ReadonlyMap<string, KeyProvider>;

  /** `activeScheme` names the provider that wraps new DEKs; every scheme appears once. */
  constructor(providers: readonly KeyProvider[], activeScheme: string) {
    const byScheme = new Map<string, KeyProvider>();
    for (const provider of providers) {
      if (byScheme.has(provider.scheme)) {
        throw new Error(`two key providers for the KEK scheme "${provider.scheme}"`);
      }
      byScheme.set(provider.scheme, provider);
    }
    const active = byScheme.get(activeScheme);
    if (active === undefined) {
      throw new Error(
        `no key provider for the active KEK scheme "${activeScheme}" (configured: ${[...byScheme.keys()].join(", ") || "none"})`,
      );
    }
    this.#active = active;
    this.#byScheme = byScheme;
    this.scheme = active.scheme;
    if (active.generateDataKey !== undefined) {
      this.generateDataKey = (context) => active.generateDataKey!(context);
    }
  }

  /** The schemes this ring unwraps, the active one first. */
  get schemes(): readonly string[] {
    return [this.scheme, ...[...this.#byScheme.keys()].filter((s) => s !== this.scheme)];
  }

  activeKekId(): string {
    return this.#active.activeKekId();
  }

  listKekIds(): readonly string[] {
    return this.#active.listKekIds();
  }

  /** Every KEK of every provider as `<scheme>:<id>`, the active provider's first. */
  kekRefs(): readonly string[] {
    return this.schemes.flatMap((scheme) =>
      this.#byScheme
        .get(scheme)!
        .listKekIds()
        .map((id) => formatKekRef(scheme, id)),
    );
  }

  wrapDek(dek: Buffer, context: DekContext): Promise<WrappedDek> {
    return this.#active.wrapDek(dek, context);
  }

  unwrapDek(kekRef: string, wrappedDek: Buffer, context: DekContext): Promise<Buffer> {
    const scheme = parseKekRef(kekRef)?.scheme;
    const provider = scheme === undefined ? undefined : this.#byScheme.get(scheme);
    if (provider === undefined) {
      return Promise.reject(
        new KekNotFoundError(
          kekRef,
          `KEK reference "${kekRef}" names no configured key provider (schemes: ${this.schemes.join(", ")})`,
        ),
      );
    }
    return provider.unwrapDek(kekRef, wrappedDek, context);
  }
}
