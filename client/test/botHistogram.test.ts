// Tests for the bot CLI's fixed-width histogram (client/src/bot/histogram.ts).
import { mulberry32 } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { Histogram } from '../src/bot/histogram.js';

/** The histogram's promise at the default 0.1 ms resolution. */
function expectWithinHalfBucket(actual: number | undefined, expected: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(0.05 + 1e-9);
}

describe('Histogram', () => {
  it('answers undefined for every figure when empty', () => {
    const h = new Histogram();
    expect(h.count).toBe(0);
    expect(h.percentile(50)).toBeUndefined();
    expect(h.min).toBeUndefined();
    expect(h.max).toBeUndefined();
    expect(h.mean).toBeUndefined();
  });

  it('reads one sample back exactly (clamped to the exact min and max)', () => {
    const h = new Histogram();
    h.record(33.37);
    expect(h.percentile(0)).toBe(33.37);
    expect(h.percentile(50)).toBe(33.37);
    expect(h.percentile(100)).toBe(33.37);
  });

  it('gives nearest-rank percentiles exact to half a bucket', () => {
    const h = new Histogram();
    for (let i = 1; i <= 100; i++) h.record(i); // 1..100 ms
    expectWithinHalfBucket(h.percentile(50), 50);
    expectWithinHalfBucket(h.percentile(99), 99);
    expect(h.percentile(100)).toBe(100);
    expectWithinHalfBucket(h.percentile(1), 1);
    expect(h.mean).toBeCloseTo(50.5, 10);
  });

  it('matches a sorted-array percentile within half a bucket on random data', () => {
    const random = mulberry32(7);
    const h = new Histogram();
    const values: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const v = 30 + random() * 15;
      values.push(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    for (const p of [1, 50, 90, 99, 99.9]) {
      const exact = values[Math.ceil((p / 100) * values.length) - 1]!;
      expectWithinHalfBucket(h.percentile(p), exact);
    }
  });

  it('keeps a value on a bucket edge in its own bucket (0.3 ms is not 0.2999…)', () => {
    const h = new Histogram();
    h.record(0.3);
    h.record(0.3);
    h.record(10);
    expect(h.percentile(50)).toBeCloseTo(0.35, 10);
  });

  it('counts values past maxMs in an overflow bucket and answers the exact max there', () => {
    const h = new Histogram({ resolutionMs: 1, maxMs: 100 });
    h.record(10);
    h.record(5000);
    expect(h.overflowCount).toBe(1);
    expect(h.percentile(100)).toBe(5000);
    expect(h.percentile(50)).toBe(10.5); // the middle of bucket [10, 11)
  });

  it('puts negative values in the first bucket and ignores NaN', () => {
    const h = new Histogram();
    h.record(-1);
    h.record(Number.NaN);
    expect(h.count).toBe(1);
    expect(h.percentile(50)).toBe(-1);
  });

  it('forgets everything on reset', () => {
    const h = new Histogram();
    h.record(1);
    h.record(2000);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.overflowCount).toBe(0);
    h.record(5);
    expect(h.percentile(50)).toBe(5);
    expect(h.max).toBe(5);
  });

  it('rejects a resolution that is not below maxMs', () => {
    expect(() => new Histogram({ resolutionMs: 0 })).toThrow(RangeError);
    expect(() => new Histogram({ resolutionMs: 10, maxMs: 10 })).toThrow(RangeError);
  });
});
