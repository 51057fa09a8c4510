// Test helper: a fake monotonic clock with timers, for schedulers that take their timers as an argument.
import type { SchedulerTimers } from '../../src/rooms/roomScheduler.js';

interface Pending {
  atMs: number;
  callback: () => void;
}

export class FakeTimers implements SchedulerTimers {
  nowMs = 0;
  /** Most timers pending at once, over the helper's life. */
  maxPending = 0;
  private readonly pending = new Set<Pending>();

  now = (): number => this.nowMs;

  /** As Node's setTimeout: a delay under 1 ms (0 included) becomes 1 ms. */
  setTimer = (callback: () => void, delayMs: number): unknown => {
    const timer = { atMs: this.nowMs + (delayMs >= 1 ? delayMs : 1), callback };
    this.pending.add(timer);
    this.maxPending = Math.max(this.maxPending, this.pending.size);
    return timer;
  };

  clearTimer = (handle: unknown): void => {
    this.pending.delete(handle as Pending);
  };

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Move time forward to `untilMs`, firing each timer at its time, earliest first. */
  advanceTo(untilMs: number): void {
    for (;;) {
      let next: Pending | undefined;
      for (const timer of this.pending) if (next === undefined || timer.atMs < next.atMs) next = timer;
      if (next === undefined || next.atMs > untilMs) break;
      this.pending.delete(next);
      this.nowMs = Math.max(this.nowMs, next.atMs);
      next.callback();
    }
    this.nowMs = Math.max(this.nowMs, untilMs);
  }
}
