/**
 * Caches the proxy's own credentials and renews temporary ones before they expire, with an injected clock so
 * the policy is testable. The AWS SDK's default chain memoizes too, but on the wall clock and only passively
 * (a failed renewal is swallowed until the old credentials are gone); here the timing is explicit:
 *
 *   more than refreshBeforeMs (5 min, the SDK's own window) left   → use the cached credentials
 *   between minValidityMs (1 min) and refreshBeforeMs left          → use them, renew in the background
 *                                                                      (after a failure, retry no sooner than
 *                                                                      retryAfterMs)
 *   less than minValidityMs left, or nothing cached                 → wait for fresh credentials
 *
 * Long-term keys (no expiration) are fetched once. Concurrent callers share one fetch. Renewals ask the source
 * for `forceRefresh`, which makes the SDK's memoized chain really re-resolve instead of returning its cache. A
 * failed fetch becomes `ProxyCredentialsUnavailable` (503: transient for IMDS/STS hiccups; the cause is logged).
 */
import { ProxyError } from "../errors/ProxyError.ts";
import type { AwsCredentials } from "./AwsCredentials.ts";

/** Where credentials come from; the shape of the AWS SDK's memoized providers. */
export type CredentialSource = (options?: { forceRefresh?: boolean }) => Promise<AwsCredentials>;

export interface RefreshOptions {
  readonly now?: () => Date;
  readonly refreshBeforeMs?: number;
  readonly minValidityMs?: number;
  readonly retryAfterMs?: number;
}

export interface ProxyCredentials {
  /** Credentials valid for at least `minValidityMs`, or a ProxyCredentialsUnavailable error. */
  get(): Promise<AwsCredentials>;
  /** Resolves once no fetch is running (for tests and shutdown). */
  settled(): Promise<void>;
}

function checked(creds: AwsCredentials, nowMs: number): AwsCredentials {
  if (!creds.accessKeyId || !creds.secretAccessKey) throw new Error("credential source returned no key");
  if (creds.expiration !== undefined && creds.expiration.getTime() <= nowMs) {
    throw new Error(
      `credential source returned credentials that expired at ${creds.expiration.toISOString()}`,
    );
  }
  return creds;
}

export function refreshingCredentials(
  source: CredentialSource,
  options: RefreshOptions = {},
): ProxyCredentials {
  const now = options.now ?? (() => new Date());
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
  const minValidityMs = options.minValidityMs ?? 60_000;
  const retryAfterMs = options.retryAfterMs ?? 10_000;
  let current: AwsCredentials | undefined;
  let inflight: Promise<AwsCredentials> | undefined;
  let fetchedOnce = false;
  let retryAt = -Infinity;

  const fetch = (): Promise<AwsCredentials> => {
    inflight ??= source(fetchedOnce ? { forceRefresh: true } : undefined)
      .then((creds) => {
        current = checked(creds, now().getTime());
        fetchedOnce = true;
        return current;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  return {
    async get() {
      const nowMs = now().getTime();
      const left = current && (current.expiration?.getTime() ?? Infinity) - nowMs;
      if (current && left !== undefined && left > minValidityMs) {
        if (left <= refreshBeforeMs && !inflight && nowMs >= retryAt) {
          fetch().catch(() => {
            retryAt = now().getTime() + retryAfterMs;
          });
        }
        return current;
      }
      try {
        return await fetch();
      } catch (err) {
        throw new ProxyError(
          "ProxyCredentialsUnavailable",
          "The proxy could not obtain its own credentials to sign the upstream request.",
          { cause: err },
        );
      }
    },
    async settled() {
      await inflight?.catch(() => undefined);
    },
  };
}
