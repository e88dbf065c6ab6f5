/**
 * A byte budget for buffers that must be held whole (legacy objects: GCM-SIV authenticates only at the end).
 * Each reader takes its object's size before downloading and gives it back when its response is done; readers
 * that do not fit wait in arrival order, up to a deadline, so a burst of large legacy reads queues instead of
 * exhausting memory. The Go proxy had no such bound (object.go reads every object with io.ReadAll).
 */
import { LegacyError } from "./legacyErrors.ts";

export type Release = () => void;

export interface MemoryBudget {
  /** Resolves with a release function once `bytes` fit; LegacyMemoryBusy after `waitMs`. */
  acquire(bytes: number, waitMs?: number): Promise<Release>;
  /** Bytes currently held (tests, metrics). */
  inUse(): number;
}

interface Waiter {
  bytes: number;
  grant: () => void;
}

export function createMemoryBudget(total: number, defaultWaitMs = 30_000): MemoryBudget {
  let used = 0;
  const queue: Waiter[] = [];

  const releaser = (bytes: number): Release => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      used -= bytes;
      drain();
    };
  };
  const drain = (): void => {
    while (queue.length > 0 && used + (queue[0]?.bytes ?? 0) <= total) {
      const next = queue.shift();
      if (next === undefined) break;
      used += next.bytes;
      next.grant();
    }
  };

  return {
    acquire(bytes, waitMs = defaultWaitMs) {
      if (bytes > total) {
        return Promise.reject(new RangeError(`${bytes} bytes can never fit a budget of ${total}`));
      }
      if (queue.length === 0 && used + bytes <= total) {
        used += bytes;
        return Promise.resolve(releaser(bytes));
      }
      return new Promise<Release>((resolve, reject) => {
        const waiter: Waiter = {
          bytes,
          grant: () => {
            clearTimeout(timer);
            resolve(releaser(bytes));
          },
        };
        const timer = setTimeout(() => {
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          drain();
          reject(new LegacyError("LegacyMemoryBusy", `no room for ${bytes} bytes within ${waitMs} ms`));
        }, waitMs);
        queue.push(waiter);
      });
    },
    inUse: () => used,
  };
}
