// One shared timer for the whole bot process: runs a step at the earliest due time it asked for,
// about once per due input (≤ 1 ms apart) plus once per progress line; never one timer per bot.

/** A step does the work due at `nowMs` and returns when it wants to run next (Infinity: not until woken). */
export type LoopStep = (nowMs: number) => number;

/**
 * Due times are absolute clock readings, so a late wake-up never shifts the ones after it
 * (a bare setInterval drifts by the callback's own cost). setTimeout counts whole ms, so a
 * step may run up to about 1 ms after its due time, or a little before it (then it runs again).
 */
export class TimerLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedForMs = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly now: () => number,
    private readonly step: LoopStep,
  ) {}

  /** Runs the step now (from a timer callback, not synchronously). */
  start(): void {
    this.wakeAt(this.now());
  }

  /** Runs the step no later than `dueMs`; a time after the armed one changes nothing. */
  wakeAt(dueMs: number): void {
    if (this.stopped || dueMs >= this.armedForMs) return;
    this.arm(dueMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(dueMs: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedForMs = dueMs;
    if (dueMs === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(() => this.run(), Math.max(0, Math.ceil(dueMs - this.now())));
  }

  private run(): void {
    this.timer = undefined;
    this.armedForMs = Number.POSITIVE_INFINITY;
    const nextMs = this.step(this.now());
    // The step may have stopped the loop, or woken it for an earlier time.
    if (!this.stopped && nextMs < this.armedForMs) this.arm(nextMs);
  }
}
