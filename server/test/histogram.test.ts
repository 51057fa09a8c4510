// MsHistogram: quantiles to its resolution, exact max, overflow into the last bucket.
import { describe, expect, it } from 'vitest';
import { MsHistogram } from '../src/stats/histogram.js';

describe('MsHistogram', () => {
  it('gives quantiles within one bucket of the true value', () => {
    const histogram = new MsHistogram(100, 0.01);
    for (let i = 1; i <= 1000; i++) histogram.record(i / 100); // 0.01 .. 10 ms
    expect(histogram.quantile(0.5)).toBeCloseTo(5, 1);
    expect(histogram.quantile(0.99)).toBeCloseTo(9.9, 1);
    expect(histogram.max).toBe(10);
    expect(histogram.count).toBe(1000);
  });
  it('keeps the exact max of values above its ceiling', () => {
    const histogram = new MsHistogram(10, 0.1);
    histogram.record(1);
    histogram.record(250);
    expect(histogram.quantile(1)).toBe(250);
    expect(histogram.max).toBe(250);
  });
  it('is empty after reset, and treats negatives as zero', () => {
    const histogram = new MsHistogram();
    histogram.record(-3);
    expect(histogram.quantile(0.5)).toBe(0);
    histogram.reset();
    expect(histogram.summary()).toEqual({ count: 0, p50: 0, p99: 0, max: 0, mean: 0 });
  });
});
