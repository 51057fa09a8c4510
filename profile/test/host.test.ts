// The machine's busy CPU from /proc/stat.
import { describe, expect, it } from 'vitest';
import { hostBusySeconds } from '../src/host.js';

describe('hostBusySeconds', () => {
  it('sums user, nice, system, irq, softirq and steal (not idle or iowait) in 1/100 s', () => {
    const stat = 'cpu  1000 20 300 90000 50 4 6 70 0 0\ncpu0 500 10 150 45000 25 2 3 35 0 0\n';
    expect(hostBusySeconds(stat)).toBeCloseTo((1000 + 20 + 300 + 4 + 6 + 70) / 100, 9);
  });
  it('reads this machine', () => {
    expect(hostBusySeconds()).toBeGreaterThan(0);
  });
  it('refuses text that is not /proc/stat', () => {
    expect(() => hostBusySeconds('intr 1 2 3')).toThrow(/not "cpu"/);
  });
});
