// Paces the client's inputs so the server's buffer of them stays near its target (Overwatch's
// approach): runs once per frame (due) and once per snapshot (observe). Time is passed in.
//
// The server applies one input per tick from a small queue and reports its depth. Too deep adds
// latency; empty makes the server repeat the last input (a starved tick, a misprediction). The
// pacer sends a little faster while the queue is short or ticks starve, a little slower while it
// is long, never more than ±MAX_RATE_CHANGE off the tick rate, and never all at once.

/** Most the send period may differ from the tick period, as a fraction (±10 %). */
export const MAX_RATE_CHANGE = 0.1;
/** Gain from depth error (inputs) to rate change (fraction). */
const GAIN = 0.02;

export class InputPacer {
  /** Inputs the server should hold after each tick takes one; raised while ticks starve. */
  target = 1;
  /** Current send period as a multiple of the tick period (1 = the tick rate). */
  scale = 1;
  private nextDueMs: number | undefined;
  private lastStarved: number | undefined;
  private smoothedDepth = 1;

  constructor(
    private readonly tickMs: number,
    private readonly maxBurst = 4,
  ) {}

  /** Inputs to send at `nowMs` (0 or more), on a grid whose spacing follows `scale`. */
  due(nowMs: number): number {
    if (this.nextDueMs === undefined) this.nextDueMs = nowMs;
    const period = this.tickMs * this.scale;
    let count = 0;
    while (nowMs >= this.nextDueMs && count < this.maxBurst) {
      this.nextDueMs += period;
      count++;
    }
    if (nowMs >= this.nextDueMs) this.nextDueMs = nowMs + period;
    return count;
  }

  /** A snapshot reported the server's queue depth and its starved-tick count for this client. */
  observe(inputBuffer: number, starvedInputs: number): void {
    if (this.lastStarved !== undefined && starvedInputs > this.lastStarved) {
      // A starved tick: aim one input deeper (up to 4) and catch up at once.
      this.target = Math.min(4, this.target + 0.5);
      this.scale = 1 - MAX_RATE_CHANGE;
    }
    this.lastStarved = starvedInputs;
    this.smoothedDepth += (inputBuffer - this.smoothedDepth) * 0.1;
    const error = this.smoothedDepth - this.target;
    const wanted = 1 + GAIN * error;
    // Ease towards the wanted rate; a positive error (queue too deep) slows sending down.
    this.scale += (Math.min(1 + MAX_RATE_CHANGE, Math.max(1 - MAX_RATE_CHANGE, wanted)) - this.scale) * 0.2;
    // Without starvation for a while, let the target drift back towards one input.
    this.target = Math.max(1, this.target - 0.001);
  }
}
