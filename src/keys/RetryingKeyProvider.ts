/**
 * A KeyProvider decorator for remote providers (KMS; PKCS#11 and key services later): every wrap, data-key and
 * unwrap call that fails transiently is retried a bounded number of times with backoff (retryTransient.ts), then
 * surfaces as KeyProviderUnavailableError, which the S3 layer answers with 503 (encryptErrors.ts). Permanent
 * failures pass through at once.
 */
import type { DekContext } from "./dekContext.ts";
import type { GeneratedDataKey, KeyProvider, WrappedDek } from "./KeyProvider.ts";
import {
  DEFAULT_RETRY_POLICY,
  retryTransient,
  type RetryEnvironment,
  type RetryPolicy,
} from "./retryTransient.ts";

export class RetryingKeyProvider implements KeyProvider {
  readonly scheme: string;
  readonly generateDataKey?: (context: DekContext) => Promise<GeneratedDataKey>;
  readonly #inner: KeyProvider;
  readonly #policy: RetryPolicy;
  readonly #env: RetryEnvironment;

  constructor(inner: KeyProvider, policy: RetryPolicy = DEFAULT_RETRY_POLICY, env: RetryEnvironment = {}) {
    this.#inner = inner;
    this.#policy = policy;
    this.#env = env;
    this.scheme = inner.scheme;
    if (inner.generateDataKey !== undefined) {
      this.generateDataKey = (context) =>
        this.#retry("generateDataKey", () => inner.generateDataKey!(context));
    }
  }

  activeKekId(): string {
    return this.#inner.activeKekId();
  }

  listKekIds(): readonly string[] {
    return this.#inner.listKekIds();
  }

  wrapDek(dek: Buffer, context: DekContext): Promise<WrappedDek> {
    return this.#retry("wrapDek", () => this.#inner.wrapDek(dek, context));
  }

  unwrapDek(kekRef: string, wrappedDek: Buffer, context: DekContext): Promise<Buffer> {
    return this.#retry(`unwrapDek(${kekRef})`, () => this.#inner.unwrapDek(kekRef, wrappedDek, context));
  }

  #retry<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return retryTransient(`${this.scheme} ${operation}`, work, this.#policy, this.#env);
  }
}
