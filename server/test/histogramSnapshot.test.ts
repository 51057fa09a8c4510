// Histogram snapshots: MsHistogram.snapshot() as JSON, windows between two reads, merges, quantiles.
import { describe, expect, it } from 'vitest';
import { MsHistogram } from '../src/stats/histogram.js';
import {
  diffHistograms,
  type HistogramSnapshot,
  mergeHistograms,
  quantileOf,
  summarize,
} from '../src/stats/histogramSnapshot.js';

function filled(values: number[], ceilingMs = 100, resolutionMs = 0.01): MsHistogram {
  const histogram = new MsHistogram(ceilingMs, resolutionMs);
  for (const value of values) histogram.record(value);
  return histogram;
}

describe('MsHistogram.snapshot', () => {
  it('lists non-zero buckets in ascending order with count, sum and max', () => {
    const snapshot = filled([0.005, 2.5, 2.509, 1]).snapshot();
    expect(snapshot).toEqual({
      resolutionMs: 0.01,
      ceilingMs: 100,
      count: 4,
      sumMs: 0.005 + 2.5 + 2.509 + 1,
      maxMs: 2.509,
      buckets: [
        [0, 1],
        [100, 1],
        [250, 2],
      ],
    });
  });
  it('puts samples at or above the ceiling in the overflow bucket, index ceilingMs / resolutionMs', () => {
    const snapshot = filled([1, 10, 250], 10, 0.1).snapshot();
    expect(snapshot.buckets).toEqual([
      [10, 1],
      [100, 2],
    ]);
    expect(snapshot.maxMs).toBe(250);
  });
  it('survives a JSON round trip unchanged', () => {
    const snapshot = filled([0.3, 7.77, 99.99]).snapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
  it('of an empty histogram has no buckets', () => {
    expect(new MsHistogram().snapshot()).toEqual({
      resolutionMs: 0.01,
      ceilingMs: 1000,
      count: 0,
      sumMs: 0,
      maxMs: 0,
      buckets: [],
    });
  });
});

describe('quantileOf', () => {
  it('answers exactly what MsHistogram.quantile answers', () => {
    // A skewed mix with a few samples above the ceiling, from a fixed generator.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const histogram = new MsHistogram(50, 0.01);
    for (let i = 0; i < 5000; i++) histogram.record(next() < 0.01 ? 50 + next() * 100 : next() ** 3 * 20);
    const snapshot = histogram.snapshot();
    for (const q of [0, 0.001, 0.1, 0.5, 0.9, 0.95, 0.99, 0.995, 0.999, 1]) {
      expect(quantileOf(snapshot, q)).toBe(histogram.quantile(q));
    }
  });
  it('is 0 for an empty histogram and max in the overflow bucket', () => {
    expect(quantileOf(new MsHistogram().snapshot(), 0.99)).toBe(0);
    expect(quantileOf(filled([1, 250], 10, 0.1).snapshot(), 1)).toBe(250);
  });
});

describe('diffHistograms', () => {
  it('gives exactly the samples recorded between two reads', () => {
    const histogram = filled([1, 2, 3]);
    const earlier = histogram.snapshot();
    for (const value of [2, 4.5, 4.5]) histogram.record(value);
    const window = diffHistograms(histogram.snapshot(), earlier);
    const direct = filled([2, 4.5, 4.5]).snapshot();
    expect(window.count).toBe(3);
    expect(window.buckets).toEqual(direct.buckets);
    expect(window.sumMs).toBeCloseTo(11, 9);
    expect(quantileOf(window, 0.5)).toBe(4.5);
  });
  it("takes the window's max as the upper edge of its highest bucket, capped at the later max", () => {
    const histogram = filled([9]);
    const earlier = histogram.snapshot();
    histogram.record(2.345);
    const window = diffHistograms(histogram.snapshot(), earlier);
    expect(window.maxMs).toBe(2.35); // not 9: the 9 ms sample was before the window
    histogram.record(9);
    const capped = diffHistograms(histogram.snapshot(), earlier);
    expect(capped.maxMs).toBe(9); // bucket [9, 9.01) capped at the recorded max 9
  });
  it('takes the later max when the window reaches the overflow bucket', () => {
    const histogram = filled([1], 10, 0.1);
    const earlier = histogram.snapshot();
    histogram.record(42);
    expect(diffHistograms(histogram.snapshot(), earlier).maxMs).toBe(42);
  });
  it('of a snapshot with itself is empty', () => {
    const snapshot = filled([1, 2, 3]).snapshot();
    expect(diffHistograms(snapshot, snapshot)).toEqual({ ...snapshot, count: 0, sumMs: 0, maxMs: 0, buckets: [] });
    expect(summarize(diffHistograms(snapshot, snapshot))).toEqual({
      count: 0,
      meanMs: 0,
      p50: 0,
      p95: 0,
      p99: 0,
      maxMs: 0,
    });
  });
  it('refuses different layouts and reads in the wrong order', () => {
    const fine = filled([1]).snapshot();
    const coarse = filled([1], 100, 0.1).snapshot();
    expect(() => diffHistograms(fine, coarse)).toThrow(RangeError);
    expect(() => diffHistograms(new MsHistogram(100).snapshot(), fine)).toThrow(RangeError);
  });
});

describe('mergeHistograms', () => {
  it('equals one histogram that recorded both sets of samples', () => {
    const a = [0.5, 3, 3, 70];
    const b = [3, 12, 0.5, 150];
    const merged = mergeHistograms(filled(a).snapshot(), filled(b).snapshot());
    const both = filled([...a, ...b]).snapshot();
    expect(merged.buckets).toEqual(both.buckets);
    expect(merged.count).toBe(both.count);
    expect(merged.maxMs).toBe(150);
    expect(merged.sumMs).toBeCloseTo(both.sumMs, 9);
  });
  it('with an empty histogram changes nothing', () => {
    const snapshot = filled([1, 5]).snapshot();
    const empty: HistogramSnapshot = filled([]).snapshot();
    expect(mergeHistograms(snapshot, empty)).toEqual(snapshot);
    expect(mergeHistograms(empty, snapshot)).toEqual(snapshot);
  });
  it('refuses different layouts', () => {
    expect(() => mergeHistograms(filled([1]).snapshot(), filled([1], 10).snapshot())).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives count, mean, p50, p95, p99 and max, quantiles as upper bucket edges', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms; 50 sits in [50, 50.01)
    expect(summarize(filled(values, 1000).snapshot())).toEqual({
      count: 100,
      meanMs: 50.5,
      p50: 50.01,
      p95: 95.01,
      p99: 99.01,
      maxMs: 100,
    });
  });
});
