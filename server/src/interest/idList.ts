// A reusable list of entity ids that spatial queries fill; one per caller, reused every query of every tick.

/** Capacity of a new list, in ids. @default 64 */
const INITIAL_CAPACITY = 64;

/**
 * A growable Int32Array with a length. A query writes into it without allocating: it grows (doubling)
 * only past its high-water mark, and `clear` just resets the length. A plain `number[]` would not do:
 * V8 trims an array's backing store when its length is set well below its capacity, so reusing one
 * would reallocate whenever a big answer follows a small one.
 */
export class IdList {
  ids: Int32Array;
  length = 0;
  /** How many times the backing store was replaced (a test checks that steady use does not grow it). */
  growths = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.ids = new Int32Array(Math.max(1, capacity));
  }

  clear(): void {
    this.length = 0;
  }

  push(id: number): void {
    if (this.length === this.ids.length) {
      const bigger = new Int32Array(this.ids.length * 2);
      bigger.set(this.ids);
      this.ids = bigger;
      this.growths++;
    }
    this.ids[this.length++] = id;
  }

  /** A copy of the ids as an array; for tests and logs, never on the tick path. */
  toArray(): number[] {
    return Array.from(this.ids.subarray(0, this.length));
  }
}
