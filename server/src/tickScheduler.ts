// Drives a FixedStepClock from real time: one timer per wake-up, aimed at the next due tick, so a
// tick's own cost never delays the next (unlike a bare setInterval). Runs once per tick. The tick
// callback gets the start time and the due time; the room records lateness and duration from them.
import { FixedStepClock } from './fixedStepClock.js';

export class TickScheduler {
  readonly clock: FixedStepClock;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    rateHz: number,
    maxCatchUp: number,
    private readonly runTick: (tick: number, nowMs: number, dueMs: number) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.clock = new FixedStepClock(rateHz, maxCatchUp, now());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly wake = (): void => {
    this.timer = undefined;
    if (!this.running) return;
    let steps = this.clock.due(this.now());
    while (steps-- > 0 && this.running) {
      const started = this.now();
      const { tick } = this.clock.beginTick(started);
      this.runTick(tick, started, this.clock.dueMs(tick));
    }
    this.schedule();
  };

  private schedule(): void {
    if (!this.running) return;
    // setTimeout fires at or after its delay, so aim at the due time itself; lateness is measured.
    const delay = Math.max(0, this.clock.nextDueMs() - this.now());
    this.timer = setTimeout(this.wake, delay);
  }
}
