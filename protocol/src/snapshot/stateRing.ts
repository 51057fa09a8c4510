// The server's history of recent world states, one per snapshot tick (about one second of them),
// overwritten oldest first. Written once per snapshot tick; read per baseline lookup. Each slot's
// state is allocated the first time the ring reaches it: a room that never sends a snapshot holds
// none, and a running one holds `size`, as if preallocated.
import { WorldState } from './worldState.js';

export class StateRing {
  /** Slot → its state; undefined until the ring first reaches the slot. */
  private readonly states: (WorldState | undefined)[];
  private newest = -1;

  constructor(
    readonly size: number,
    private readonly capacity: number,
    private readonly maxId: number,
  ) {
    if (!Number.isInteger(size) || size < 2) throw new RangeError('a state ring holds at least 2 states');
    this.states = Array.from({ length: size }, () => undefined);
  }

  /** Slots whose state has been allocated (0 … size). */
  get allocated(): number {
    return this.states.filter((state) => state !== undefined).length;
  }

  /** The slot for `tick`'s state, emptied and stamped: it replaces the oldest state held. */
  next(tick: number): WorldState {
    this.newest = (this.newest + 1) % this.size;
    let state = this.states[this.newest];
    if (state === undefined) {
      state = new WorldState(this.capacity, this.maxId);
      this.states[this.newest] = state;
    }
    state.reset(tick);
    return state;
  }

  /** The state of `tick` if it is still held, else undefined (it has been overwritten). */
  get(tick: number): WorldState | undefined {
    if (tick <= 0) return undefined;
    for (const state of this.states) if (state !== undefined && state.tick === tick) return state;
    return undefined;
  }

  /** The oldest tick still held, or 0. */
  oldestTick(): number {
    let oldest = 0;
    for (const state of this.states) {
      if (state !== undefined && state.tick > 0 && (oldest === 0 || state.tick < oldest)) oldest = state.tick;
    }
    return oldest;
  }
}
