/**
 * Reads up to `ahead` items of an async iterable ahead of its consumer, so that the listing runs in parallel
 * with the work on listed objects and the progress bar knows how many objects are listed so far. Memory is
 * bounded by `ahead`; an error of the source reaches the consumer at its place in the sequence.
 */

export function prefetch<T>(
  source: AsyncIterable<T>,
  ahead: number,
  onItem: (count: number) => void = () => undefined,
): AsyncGenerator<T> {
  const buffer: T[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  let count = 0;
  let cancelled = false;

  const produce = async (): Promise<void> => {
    try {
      for await (const item of source) {
        if (cancelled) return;
        buffer.push(item);
        onItem(++count);
        wakeConsumer?.();
        while (buffer.length >= ahead && !cancelled) await new Promise<void>((r) => (wakeProducer = r));
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      wakeConsumer?.();
    }
  };
  void produce();

  return (async function* () {
    try {
      for (;;) {
        if (buffer.length > 0) {
          const item = buffer.shift() as T;
          wakeProducer?.();
          yield item;
          continue;
        }
        if (finished) {
          if (failure !== undefined) throw failure.error;
          return;
        }
        await new Promise<void>((r) => (wakeConsumer = r));
      }
    } finally {
      cancelled = true;
      wakeProducer?.();
    }
  })();
}
