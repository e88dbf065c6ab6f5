/**
 * Builds the proxy's KeyRing from provider registrations: each registration names its --kek-provider kind and
 * how to create the provider. Remote providers (KMS; PKCS#11 and key services later) are created with bounded
 * retries (a KMS endpoint that is briefly unreachable at start does not stop the proxy) and wrapped in
 * RetryingKeyProvider and, unless disabled, CachingKeyProvider over one DekCache shared by all of them; local
 * providers need neither. `active` names the registration whose provider wraps new DEKs.
 */
import { CachingKeyProvider } from "./CachingKeyProvider.ts";
import { DekCache } from "./DekCache.ts";
import type { KeyProvider } from "./KeyProvider.ts";
import type { DekCacheConfig } from "./keyRingConfig.ts";
import { KeyRing } from "./KeyRing.ts";
import { RetryingKeyProvider } from "./RetryingKeyProvider.ts";
import {
  DEFAULT_RETRY_POLICY,
  retryTransient,
  type RetryEnvironment,
  type RetryPolicy,
} from "./retryTransient.ts";

export interface KeyProviderRegistration {
  /** The --kek-provider name (`local`, `kms`, …). */
  readonly kind: string;
  /** Reached over a network or device that can fail transiently: gets retries and the DEK cache. */
  readonly remote: boolean;
  /** Loads or connects the provider; a failure stops the proxy from starting. */
  readonly create: () => Promise<KeyProvider>;
}

export interface BuildKeyRingOptions {
  /** The kind of the registration whose provider wraps new DEKs. */
  readonly active: string;
  readonly dekCache: DekCacheConfig;
  readonly retry?: RetryPolicy;
  /** Injected sleep and randomness of the retries (tests). */
  readonly retryEnvironment?: RetryEnvironment;
  /** The DEK cache's clock (tests). */
  readonly now?: () => number;
}

export async function buildKeyRing(
  registrations: readonly KeyProviderRegistration[],
  options: BuildKeyRingOptions,
): Promise<KeyRing> {
  const kinds = registrations.map((r) => r.kind);
  if (new Set(kinds).size !== kinds.length)
    throw new Error(`key providers registered twice: ${kinds.join(", ")}`);
  if (!kinds.includes(options.active)) {
    throw new Error(
      `--kek-provider ${options.active}: that key provider is not configured (configured: ${kinds.join(", ") || "none"})`,
    );
  }
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const environment = options.retryEnvironment ?? {};
  const { ttlMs, maxEntries } = options.dekCache;
  const cache =
    ttlMs > 0 && maxEntries > 0
      ? new DekCache({ ttlMs, maxEntries, ...(options.now !== undefined && { now: options.now }) })
      : undefined;
  const providers: KeyProvider[] = [];
  let activeScheme = "";
  for (const registration of registrations) {
    let provider: KeyProvider;
    if (registration.remote) {
      const created = await retryTransient(
        `starting the ${registration.kind} key provider`,
        registration.create,
        retry,
        environment,
      );
      const retrying = new RetryingKeyProvider(created, retry, environment);
      provider = cache === undefined ? retrying : new CachingKeyProvider(retrying, cache);
    } else {
      provider = await registration.create();
    }
    providers.push(provider);
    if (registration.kind === options.active) activeScheme = provider.scheme;
  }
  return new KeyRing(providers, activeScheme);
}
