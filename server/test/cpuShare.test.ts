// The CPU share meter: CPU time between readings over wall time between them, in cores; 0 at the
// first reading and when no time passed.
import { describe, expect, it } from 'vitest';
import { cpuShareMeter } from '../src/metrics/cpuShare.js';

describe('the CPU share meter', () => {
  it('answers the share of one core used since the previous reading', () => {
    let usage = { user: 0, system: 0 };
    let now = 0;
    const meter = cpuShareMeter(
      () => usage,
      () => now,
    );
    expect(meter()).toBe(0);
    usage = { user: 300_000, system: 200_000 }; // 0.5 s of CPU
    now = 1000;
    expect(meter()).toBeCloseTo(0.5);
    usage = { user: 1_800_000, system: 700_000 }; // 2 s more over 1 s: two cores
    now = 2000;
    expect(meter()).toBeCloseTo(2);
    expect(meter()).toBe(0); // no time passed
  });

  it('answers the last reading again when called sooner than its minimum interval', () => {
    let usage = { user: 0, system: 0 };
    let now = 0;
    const meter = cpuShareMeter(
      () => usage,
      () => now,
      200,
    );
    meter();
    usage = { user: 250_000, system: 0 };
    now = 1000;
    expect(meter()).toBeCloseTo(0.25);
    usage = { user: 260_000, system: 0 }; // 10 ms of CPU in 10 ms would read as a whole core
    now = 1010;
    expect(meter()).toBeCloseTo(0.25);
    usage = { user: 450_000, system: 0 };
    now = 2000;
    expect(meter()).toBeCloseTo(0.2);
  });
});
