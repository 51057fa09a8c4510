// Tests for the bot CLI's shared timer loop (client/src/bot/timerLoop.ts), on vitest's fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimerLoop } from '../src/bot/timerLoop.js';

describe('TimerLoop', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the step at the absolute times it returns, at most 1 ms after each, never before', () => {
    const period = 33.3; // fractional, as due times from performance.now() are
    const runs: number[] = [];
    const loop = new TimerLoop(Date.now, (nowMs) => {
      runs.push(nowMs);
      return (Math.floor(nowMs / period) + 1) * period;
    });
    loop.start();
    vi.advanceTimersByTime(10_000);
    loop.stop();
    expect(runs).toHaveLength(Math.floor(10_000 / period) + 1);
    runs.forEach((t, k) => {
      expect(t).toBeGreaterThanOrEqual(k * period);
      expect(t).toBeLessThan(k * period + 1);
    });
  });

  it('runs earlier when woken for an earlier time, and ignores later wake-ups', () => {
    const runs: number[] = [];
    const loop = new TimerLoop(Date.now, (nowMs) => {
      runs.push(nowMs);
      return Number.POSITIVE_INFINITY;
    });
    loop.wakeAt(100);
    loop.wakeAt(500);
    loop.wakeAt(20);
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual([20]);
  });

  it('stops for good', () => {
    const runs: number[] = [];
    const loop = new TimerLoop(Date.now, (nowMs) => {
      runs.push(nowMs);
      return nowMs + 10;
    });
    loop.start();
    vi.advanceTimersByTime(25);
    loop.stop();
    loop.wakeAt(30);
    vi.advanceTimersByTime(100);
    expect(runs).toEqual([0, 10, 20]);
  });
});
