// The real clock and timers, for the process to hand to the room scheduler once at start. The only
// file under rooms/ that reads the time itself; every other module is given it, so tests drive a fake.
import type { SchedulerTimers } from './roomScheduler.js';

export const realTimers: SchedulerTimers = {
  now: () => performance.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
