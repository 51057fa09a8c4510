// Decides how many inputs are due at a frame: one per server tick, on a fixed grid from the first
// frame, at most a few after a hitch. Called once per rendered frame with Phaser's `time` (ms).

export class InputClock {
  private nextDueMs: number | undefined;

  constructor(
    private readonly periodMs: number,
    private readonly maxBurst = 4,
  ) {}

  /** Inputs to send at `nowMs`. */
  due(nowMs: number): number {
    if (this.nextDueMs === undefined) this.nextDueMs = nowMs;
    let count = 0;
    while (nowMs >= this.nextDueMs && count < this.maxBurst) {
      this.nextDueMs += this.periodMs;
      count++;
    }
    // After a long hitch, do not replay it: start the grid again from now.
    if (nowMs >= this.nextDueMs) this.nextDueMs = nowMs + this.periodMs;
    return count;
  }
}
