// Token bucket per connection, charged once per received frame: a burst after a network stall
// passes, a rate sustained well above the tick rate for about a second empties it. Time is passed in.

export class FloodGuard {
  private tokens: number;
  private lastMs: number;

  /**
   * @param capacity burst allowance in frames (default config: 2 × tick rate)
   * @param refillPerSecond sustained frames per second allowed (default config: 2 × tick rate)
   */
  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.lastMs = nowMs;
  }

  /** Charge one frame at `nowMs`; false means the client is flooding. */
  take(nowMs: number): boolean {
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.refillPerSecond) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
