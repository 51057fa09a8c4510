// RateBuckets with a driven clock: the burst, the refill and the wait it reports, and a table that
// stays bounded however many addresses call.
import { describe, expect, it } from 'vitest';
import { RateBuckets } from '../src/limits/rateBuckets.js';

describe('RateBuckets', () => {
  it('lets a burst of perMinute through, then reports the wait until the next token', () => {
    const rate = new RateBuckets(6);
    for (let i = 0; i < 6; i++) expect(rate.take('a', 0)).toBe(0);
    expect(rate.take('a', 0)).toBe(10_000);
    expect(rate.take('a', 4_000)).toBe(6_000);
    expect(rate.take('b', 4_000)).toBe(0);
    expect(rate.take('a', 10_000)).toBe(0);
    expect(rate.take('a', 10_000)).toBe(10_000);
  });

  it('never limits at 0', () => {
    const rate = new RateBuckets(0);
    for (let i = 0; i < 1000; i++) expect(rate.take('a', 0)).toBe(0);
    expect(rate.tracked).toBe(0);
  });

  it('remembers at most the cap of addresses, and none after a quiet minute', () => {
    const rate = new RateBuckets(1, 100);
    for (let i = 0; i < 10_000; i++) {
      rate.take(`203.0.${i >> 8}.${i & 255}`, i);
      expect(rate.tracked).toBeLessThanOrEqual(100);
    }
    rate.take('x', 10_000 + 60_000);
    expect(rate.tracked).toBe(1);
  });

  it('keeps refusing an address that calls steadily above the rate, while the table turns over', () => {
    const rate = new RateBuckets(2, 100);
    let admitted = 0;
    for (let t = 0; t < 600_000; t += 1_000) {
      rate.take(`other-${t}`, t);
      if (rate.take('a', t) === 0) admitted++;
    }
    // 2 a minute over ten minutes, plus the first burst.
    expect(admitted).toBeLessThanOrEqual(22);
  });
});
