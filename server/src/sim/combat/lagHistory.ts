// Lag compensation's memory and its rule: every living player's position at each of the last second
// of ticks, and where a hitscan shot applied at tick T looks for its targets. record() runs once per
// player per tick (HistorySystem); rewindTick() once per primary shot, positionAt() once per target.
//
//   ticks held     T−9 … T−8   T−7   T−6 … T        (a ring of tickRate + 2 ticks, ~1 s)
//   viewTick v         ▲ clamped up to T − R when older; down to T when in the future
//   target at v    lerp(position at floor(v), position at ceil(v), v − floor(v))
//
// Positions are quanta, as the snapshots carry them, so a rewound target is exactly where the
// shooter's client drew it when snapshots go out every tick (it interpolates the same two states).

/**
 * The tick a primary shot applied at `tick` tests its targets at (PROTOCOL.md, "Lag compensation"):
 * the client's `viewTick` clamped to [tick − maxRewindTicks, tick]; `tick` itself when compensation
 * is off or the client claims no view (0).
 */
export function rewindTick(tick: number, viewTick: number, maxRewindTicks: number, enabled: boolean): number {
  if (!enabled || !(viewTick > 0)) return tick;
  return Math.min(tick, Math.max(tick - maxRewindTicks, viewTick));
}

/** A LagHistory's whole memory (exportState / importState). */
export interface LagHistoryState {
  size: number;
  maxId: number;
  newest: number;
  ticks: Int32Array;
  xs: Int32Array;
  ys: Int32Array;
  generations: Int32Array;
  stamps: Int32Array;
}

/** The position arrays of a history nothing was recorded in yet (shared: never written). */
const EMPTY = new Int32Array(0);

export class LagHistory {
  /** Slot → the tick it holds (0: none yet). */
  private readonly ticks: Int32Array;
  /**
   * Slot × ids: position, generation (which life of the id) and the tick written (stale otherwise).
   * Empty until the first record(): a room nobody joined holds no positions (an empty stamps array
   * reads as "not written", so lookups before then find nothing, as they would in zeroed arrays).
   */
  private xs = EMPTY;
  private ys = EMPTY;
  private generations = EMPTY;
  private stamps = EMPTY;
  private readonly stride: number;
  private newest = 0;

  /** `size` ticks of `maxId + 1` ids. */
  constructor(
    readonly size: number,
    readonly maxId: number,
  ) {
    if (!Number.isInteger(size) || size < 2) throw new RangeError('a lag history holds at least 2 ticks');
    this.stride = maxId + 1;
    this.ticks = new Int32Array(size);
  }

  /** Whether the position arrays exist yet (they are allocated at the first record()). */
  get allocated(): boolean {
    return this.stamps !== EMPTY;
  }

  /** The oldest tick still held (0 before any). */
  get oldestTick(): number {
    let oldest = this.newest;
    for (const tick of this.ticks) if (tick > 0 && tick < oldest) oldest = tick;
    return oldest;
  }

  get newestTick(): number {
    return this.newest;
  }

  /** Start recording `tick` (ticks only go up): its slot forgets the tick it held. */
  begin(tick: number): void {
    this.ticks[tick % this.size] = tick;
    this.newest = tick;
  }

  /** Player `id` (life `generation`) was alive at (x, y) quanta at `tick` (after begin(tick)). */
  record(tick: number, id: number, generation: number, x: number, y: number): void {
    if (this.stamps === EMPTY) this.allocate();
    const at = (tick % this.size) * this.stride + id;
    this.xs[at] = x;
    this.ys[at] = y;
    this.generations[at] = generation;
    this.stamps[at] = tick;
  }

  /**
   * Player `id` in life `generation` at fractional tick `tick`: interpolated between the positions of
   * floor(tick) and ceil(tick), written to `out` (quanta). False when either tick is not held, or the
   * player was not alive in that life at both.
   */
  positionAt(id: number, generation: number, tick: number, out: { x: number; y: number }): boolean {
    if (id < 0 || id > this.maxId) return false;
    const a = Math.floor(tick);
    const b = Math.ceil(tick);
    const atA = this.slotOf(a, id, generation);
    const atB = a === b ? atA : this.slotOf(b, id, generation);
    if (atA < 0 || atB < 0) return false;
    const f = tick - a;
    out.x = this.xs[atA]! + (this.xs[atB]! - this.xs[atA]!) * f;
    out.y = this.ys[atA]! + (this.ys[atB]! - this.ys[atA]!) * f;
    return true;
  }

  /** Everything held, as copies (a room moving carries it, roomStateFormat.ts); empty arrays before any record(). */
  exportState(): LagHistoryState {
    return {
      size: this.size,
      maxId: this.maxId,
      newest: this.newest,
      ticks: this.ticks.slice(),
      xs: this.xs.slice(),
      ys: this.ys.slice(),
      generations: this.generations.slice(),
      stamps: this.stamps.slice(),
    };
  }

  /** Take over `state` (from exportState of a history of the same size and ids); throws when it does not fit. */
  importState(state: LagHistoryState): void {
    if (state.size !== this.size || state.maxId !== this.maxId || state.ticks.length !== this.size) {
      throw new RangeError('lag history of another size');
    }
    const length = state.stamps.length;
    if (length !== 0 && length !== this.size * this.stride) throw new RangeError('lag history arrays of another size');
    for (const array of [state.xs, state.ys, state.generations]) {
      if (array.length !== length) throw new RangeError('lag history arrays of different sizes');
    }
    this.ticks.set(state.ticks);
    this.newest = state.newest;
    if (length === 0) {
      this.xs = this.ys = this.generations = this.stamps = EMPTY;
      return;
    }
    this.xs = state.xs.slice();
    this.ys = state.ys.slice();
    this.generations = state.generations.slice();
    this.stamps = state.stamps.slice();
  }

  private allocate(): void {
    const length = this.size * this.stride;
    this.xs = new Int32Array(length);
    this.ys = new Int32Array(length);
    this.generations = new Int32Array(length);
    this.stamps = new Int32Array(length);
  }

  private slotOf(tick: number, id: number, generation: number): number {
    const slot = tick % this.size;
    if (tick <= 0 || this.ticks[slot] !== tick) return -1;
    const at = slot * this.stride + id;
    return this.stamps[at] === tick && this.generations[at] === generation ? at : -1;
  }
}
