// When to send the next PING: often while the clock estimate is young, then rarely. Called once per
// frame or timer wake-up with the client's clock; time is passed in.

/** Ping every 100 ms for the first 3 s after joining (fast convergence), then once a second. */
export const FAST_PING_MS = 100;
export const FAST_PING_FOR_MS = 3000;
export const SLOW_PING_MS = 1000;

export class PingSchedule {
  private startMs: number | undefined;
  private nextMs = 0;

  /** Whether a PING is due at `nowMs` (and if so, the next one is scheduled). */
  due(nowMs: number): boolean {
    this.startMs ??= nowMs;
    if (nowMs < this.nextMs) return false;
    const interval = nowMs - this.startMs < FAST_PING_FOR_MS ? FAST_PING_MS : SLOW_PING_MS;
    this.nextMs = nowMs + interval;
    return true;
  }
}
