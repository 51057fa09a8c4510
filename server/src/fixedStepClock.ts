// The tick loop's clock: how many fixed steps are due at a given time. Called once per wake-up of
// the scheduler; pure arithmetic on the time passed in, so tests drive it with a fake clock.
//
//   origin      t0+P        t0+2P       t0+3P           (P = 1000 / rate ms)
//   |-----------|-----------|-----------|---> time
//               tick 1 due  tick 2 due  tick 3 due
//
// Due times are origin + n·P, computed afresh each time, never accumulated, so rounding
// never adds up to drift. After a stall, at most maxCatchUp steps run at once; the rest are
// dropped, counted, and the origin moves forward so the loop does not try to catch up later.

export class FixedStepClock {
  readonly periodMs: number;
  /** Ticks run so far (the number of the last tick started). */
  tick = 0;
  /** Ticks skipped after stalls longer than the catch-up cap. */
  droppedTicks = 0;
  private originMs: number;

  constructor(
    readonly rateHz: number,
    readonly maxCatchUp: number,
    startMs: number,
  ) {
    if (!(rateHz > 0)) throw new RangeError('tick rate must be > 0');
    if (!Number.isInteger(maxCatchUp) || maxCatchUp < 1) throw new RangeError('maxCatchUp must be ≥ 1');
    this.periodMs = 1000 / rateHz;
    this.originMs = startMs;
  }

  /** When tick `n` is (or was) due. */
  dueMs(n: number): number {
    return this.originMs + n * this.periodMs;
  }

  /** When the next tick is due. */
  nextDueMs(): number {
    return this.dueMs(this.tick + 1);
  }

  /**
   * The number of ticks to run now (0..maxCatchUp). The caller runs them and calls
   * `beginTick()` before each, which returns the tick's number and how late it starts.
   */
  due(nowMs: number): number {
    let reached = Math.floor((nowMs - this.originMs) / this.periodMs);
    // The division can land a hair under an integer at a due time itself (origin + n·P rounds one way,
    // (now − origin) / P the other): then tick n, which nextDueMs() calls due, would wait for another
    // wake-up. Agree with dueMs(), which is what a scheduler aims its timer at.
    if (this.dueMs(reached + 1) <= nowMs) reached++;
    const behind = reached - this.tick;
    if (behind <= 0) return 0;
    if (behind > this.maxCatchUp) {
      const skipped = behind - this.maxCatchUp;
      this.droppedTicks += skipped;
      this.originMs += skipped * this.periodMs;
      return this.maxCatchUp;
    }
    return behind;
  }

  /** Start the next tick: returns its number and its lateness against its due time in ms. */
  beginTick(nowMs: number): { tick: number; latenessMs: number } {
    this.tick++;
    return { tick: this.tick, latenessMs: nowMs - this.dueMs(this.tick) };
  }
}
