/**
 * Runs `work` over the items an async iterable yields with at most `limit` at a time, in listing order of
 * start. Items are pulled only when a worker is free, so a listing of millions of objects is never held in
 * memory; `stop()` makes the workers take no new items and lets the running ones finish.
 */

export interface ConcurrentRun {
  readonly done: Promise<void>;
  stop(): void;
}

export function mapConcurrent<T>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): ConcurrentRun {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError("concurrency must be a positive integer");
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let stopped = false;
  // One pull at a time: an async generator queues concurrent next() calls anyway, a sync iterator must not race.
  let pulling: Promise<unknown> = Promise.resolve();
  const next = (): Promise<IteratorResult<T>> => {
    const result = pulling.then(() => iterator.next());
    pulling = result.catch(() => undefined);
    return result;
  };
  const worker = async (): Promise<void> => {
    while (!stopped) {
      const item = await next();
      if (item.done === true || stopped) return;
      await work(item.value);
    }
  };
  const workers = Array.from({ length: limit }, () => worker());
  // A source left behind early (stop, a failure) is closed, so a generator's finally blocks run.
  const close = async (): Promise<void> => {
    if (stopped) await Promise.resolve(iterator.return?.()).catch(() => undefined);
  };
  const done = Promise.all(workers).then(close, async (err: unknown) => {
    stopped = true;
    await Promise.allSettled(workers);
    await close();
    throw err;
  });
  return {
    done,
    stop() {
      stopped = true;
    },
  };
}
