// The server's history of recent world states, one per snapshot tick (about one second of them),
// preallocated and overwritten oldest first. Written once per snapshot tick; read per baseline lookup.
import { WorldState } from './worldState.js';

export class StateRing {
  private readonly states: WorldState[];
  private newest = -1;

  constructor(
    readonly size: number,
    capacity: number,
    maxId: number,
  ) {
    if (!Number.isInteger(size) || size < 2) throw new RangeError('a state ring holds at least 2 states');
    this.states = Array.from({ length: size }, () => new WorldState(capacity, maxId));
  }

  /** The slot for `tick`'s state, emptied and stamped: it replaces the oldest state held. */
  next(tick: number): WorldState {
    this.newest = (this.newest + 1) % this.size;
    const state = this.states[this.newest]!;
    state.reset(tick);
    return state;
  }

  /** The state of `tick` if it is still held, else undefined (it has been overwritten). */
  get(tick: number): WorldState | undefined {
    if (tick <= 0) return undefined;
    for (const state of this.states) if (state.tick === tick) return state;
    return undefined;
  }

  /** The oldest tick still held, or 0. */
  oldestTick(): number {
    let oldest = 0;
    for (const state of this.states) if (state.tick > 0 && (oldest === 0 || state.tick < oldest)) oldest = state.tick;
    return oldest;
  }
}
