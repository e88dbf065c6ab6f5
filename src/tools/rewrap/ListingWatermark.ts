/**
 * How far a concurrent rewrap has certainly got, for its resume file. Objects are taken from the listing in
 * order and finish out of order; the watermark is the listing position of the last object such that it and
 * every object before it finished without failing. A resumed run lists from there on, so nothing before it is
 * looked at again and nothing after it is skipped.
 *
 * A failed object holds the watermark for the rest of the run, so a resumed run tries it again (and re-checks
 * what came after it: already re-wrapped objects then count as current, one HEAD each). Positions of finished
 * objects past the watermark are kept only while they can still matter, so memory stays bounded by the number
 * of objects in flight, and by nothing once an object failed.
 */

export class ListingWatermark<P> {
  #next = 0;
  /** Index of the last object of the finished, unfailed prefix; -1 when there is none. */
  #through = -1;
  #position: P | undefined;
  /** First failed index: the watermark never passes it. */
  #blockedAt = Number.POSITIVE_INFINITY;
  readonly #pending = new Map<number, P>();
  readonly #finished = new Set<number>();

  /** `initial`: the position a resumed run started after. */
  constructor(initial?: P) {
    this.#position = initial;
  }

  /** Registers the next object of the listing; returns its index for finish(). */
  add(position: P): number {
    const index = this.#next++;
    if (index < this.#blockedAt) this.#pending.set(index, position);
    return index;
  }

  finish(index: number, failed: boolean): void {
    if (failed) {
      this.#blockedAt = Math.min(this.#blockedAt, index);
      for (const i of [...this.#pending.keys()]) if (i >= this.#blockedAt) this.#pending.delete(i);
      for (const i of [...this.#finished]) if (i >= this.#blockedAt) this.#finished.delete(i);
      return;
    }
    if (index >= this.#blockedAt) return;
    this.#finished.add(index);
    while (this.#finished.has(this.#through + 1)) {
      const at = this.#through + 1;
      this.#finished.delete(at);
      this.#position = this.#pending.get(at);
      this.#pending.delete(at);
      this.#through = at;
    }
  }

  /** The position to resume after; undefined while no object is certainly done (and no run was resumed). */
  get position(): P | undefined {
    return this.#position;
  }

  /** True when every registered object finished and none failed. */
  get complete(): boolean {
    return this.#blockedAt === Number.POSITIVE_INFINITY && this.#through === this.#next - 1;
  }
}
