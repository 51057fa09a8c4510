// The benches' naive baseline for scheduling rooms: one timer loop per room (what the server did for
// its one room before the room scheduler, server/src/rooms/roomScheduler.ts). TickScheduler drives a
// FixedStepClock from real time, one setTimeout per wake-up aimed at the next due tick, so a tick's
// own cost never delays the next (unlike a bare setInterval); it runs once per tick. It uses the
// global setTimeout, so a bench that counts timer callbacks (support.ts) counts its wake-ups.
import { FixedStepClock } from '../server/src/fixedStepClock.js';

class TickScheduler {
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

/**
 * Start one TickScheduler per room at `rateHz`, each at a random phase within one period (started
 * through `startAfter`, a timer the bench does not count). `onTick(room, …)` runs each room's tick.
 * Returns a function that stops them all.
 */
export function startTimerPerRoom(
  rooms: number,
  rateHz: number,
  startAfter: typeof setTimeout,
  onTick: (room: number, tick: number, startMs: number, dueMs: number) => void,
): () => void {
  const schedulers: TickScheduler[] = [];
  const starts = Array.from({ length: rooms }, (_, room) =>
    startAfter(
      () => {
        const scheduler = new TickScheduler(rateHz, 5, (tick, startMs, dueMs) => onTick(room, tick, startMs, dueMs));
        schedulers.push(scheduler);
        scheduler.start();
      },
      Math.random() * (1000 / rateHz),
    ),
  );
  return () => {
    for (const timer of starts) clearTimeout(timer);
    for (const scheduler of schedulers) scheduler.stop();
  };
}
