// FixedStepClock driven by a fake clock: rate, catch-up cap, dropped ticks, and no drift.
import { mulberry32 } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { FixedStepClock } from '../src/fixedStepClock.js';

/** Run the clock like the scheduler does, waking at each due time plus `delayOf()` ms. */
function drive(clock: FixedStepClock, untilMs: number, delayOf: () => number): void {
  let now = 0;
  while (now < untilMs) {
    now = Math.min(untilMs, clock.nextDueMs() + delayOf());
    let steps = clock.due(now);
    while (steps-- > 0) clock.beginTick(now);
  }
}

describe('FixedStepClock', () => {
  it('runs nothing before the first period has passed, then one tick per period', () => {
    const clock = new FixedStepClock(30, 5, 0);
    expect(clock.due(33.3)).toBe(0);
    expect(clock.due(33.34)).toBe(1);
    expect(clock.beginTick(33.34).tick).toBe(1);
    expect(clock.due(50)).toBe(0);
    expect(clock.due(66.7)).toBe(1);
  });

  it.each([7, 30, 60, 144])('counts a tick due at exactly the time asked, as dueMs says, at %i Hz', (rate) => {
    const clock = new FixedStepClock(rate, 5, 1234.5678);
    for (let n = 1; n <= 2000; n++) {
      expect(clock.due(clock.nextDueMs())).toBe(1);
      clock.beginTick(clock.dueMs(n));
    }
  });

  it('reports each tick start’s lateness against its due time', () => {
    const clock = new FixedStepClock(50, 5, 1000);
    expect(clock.due(1023)).toBe(1);
    expect(clock.beginTick(1023).latenessMs).toBeCloseTo(3, 9);
  });

  it('catches up after a stall shorter than the cap, dropping nothing', () => {
    const clock = new FixedStepClock(30, 5, 0);
    expect(clock.due(4 * (1000 / 30) + 1)).toBe(4);
    expect(clock.droppedTicks).toBe(0);
  });

  it('caps catch-up steps after a long stall, counts the dropped ticks and does not chase them later', () => {
    const clock = new FixedStepClock(30, 5, 0);
    const stallEnd = 1000 + 1; // 30 ticks due at once
    expect(clock.due(stallEnd)).toBe(5);
    for (let i = 0; i < 5; i++) clock.beginTick(stallEnd);
    expect(clock.droppedTicks).toBe(25);
    expect(clock.due(stallEnd)).toBe(0);
    // The next tick is one period after the last one run, not a burst to make up the 25.
    expect(clock.nextDueMs()).toBeGreaterThan(stallEnd);
    expect(clock.nextDueMs() - stallEnd).toBeLessThanOrEqual(1000 / 30);
  });

  it.each([10, 30, 60, 128])('does not drift over a simulated minute of jittered wake-ups at %i Hz', (rate) => {
    const random = mulberry32(rate);
    const clock = new FixedStepClock(rate, 5, 0);
    // Wake-ups 0–4 ms late, and now and then a stall of up to 3 periods (under the cap).
    drive(clock, 60_000, () => (random() < 0.01 ? random() * 3 * (1000 / rate) : random() * 4));
    const expected = Math.floor((60_000 * rate) / 1000);
    expect(Math.abs(clock.tick - expected)).toBeLessThanOrEqual(1);
    expect(clock.droppedTicks).toBe(0);
  });

  it('keeps ticks run plus ticks dropped equal to wall time when stalls exceed the cap', () => {
    const random = mulberry32(7);
    const clock = new FixedStepClock(30, 3, 0);
    drive(clock, 60_000, () => (random() < 0.02 ? 200 + random() * 400 : random() * 2));
    expect(clock.droppedTicks).toBeGreaterThan(0);
    expect(Math.abs(clock.tick + clock.droppedTicks - 1800)).toBeLessThanOrEqual(1);
  });

  it('refuses a non-positive rate or cap', () => {
    expect(() => new FixedStepClock(0, 5, 0)).toThrow(RangeError);
    expect(() => new FixedStepClock(30, 0, 0)).toThrow(RangeError);
  });
});
