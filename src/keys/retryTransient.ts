/**
 * Bounded retries of a key provider call that failed transiently (a retryable KeyProviderError: network error,
 * timeout, KMS throttling or 5xx), with capped exponential backoff and full jitter, the strategy AWS recommends
 * for its APIs (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html) and KMS for
 * ThrottlingException in particular (https://docs.aws.amazon.com/kms/latest/developerguide/throttling.html).
 * Jitter spreads the retries of many proxy replicas that failed at the same moment.
 *
 * Permanent failures (wrong key, corrupted wrapped DEK, access denied) are thrown at once. When every attempt
 * failed, the last failure is thrown as a KeyProviderUnavailableError naming the number of attempts. Sleep and
 * randomness are injected so tests count attempts and delays without waiting.
 */
import { isKeyProviderError, KeyProviderUnavailableError } from "./errors.ts";

export interface RetryPolicy {
  /** Calls in all, the first included; >= 1. */
  readonly attempts: number;
  /** The delay before the first retry is drawn from [0, baseDelayMs); it doubles per retry. */
  readonly baseDelayMs: number;
  /** Upper bound of the doubled delay. */
  readonly maxDelayMs: number;
}

export interface RetryEnvironment {
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); default Math.random (jitter needs no cryptographic randomness). */
  readonly random?: () => number;
}

/** 3 calls, the retries after up to 100 ms and up to 200 ms: under half a second of extra latency in all. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };

/** The delay before retry number `retry` (1 = the first retry): full jitter over the capped exponential. */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` until it succeeds, fails permanently, or `policy.attempts` calls failed transiently. */
export async function retryTransient<T>(
  what: string,
  work: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  env: RetryEnvironment = {},
): Promise<T> {
  const sleep = env.sleep ?? realSleep;
  const random = env.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isKeyProviderError(err) || !err.retryable) throw err;
      if (attempt >= policy.attempts) {
        throw new KeyProviderUnavailableError(
          `${what}: the key provider is unavailable after ${attempt} attempt${attempt === 1 ? "" : "s"} ` +
            `(${err.message})`,
          { cause: err, throttled: err instanceof KeyProviderUnavailableError && err.throttled },
        );
      }
      await sleep(backoffDelayMs(attempt, policy, random));
    }
  }
}
