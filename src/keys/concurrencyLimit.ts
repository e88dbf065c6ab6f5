/**
 * At most `max` calls of `run` in flight; the others wait their turn, first come first served. The KMS client
 * uses it to keep its requests within the HTTP agent's sockets: the SDK starts its connection and request
 * timers when a request is created, so a request queued inside the agent behind busy sockets would time out
 * without KMS ever being slow (a burst of 1000 unwraps against 50 sockets did exactly that). Queued here, a call
 * reaches the SDK only when a socket is free, and the timeouts measure KMS alone.
 */
export type ConcurrencyLimit = <T>(work: () => Promise<T>) => Promise<T>;

export function concurrencyLimit(max: number): ConcurrencyLimit {
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`concurrency limit ${max} is not >= 1`);
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next(); // the slot passes straight to the next caller
  };
  return async (work) => {
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      release();
    }
  };
}
