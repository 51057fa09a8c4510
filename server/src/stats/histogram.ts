// A fixed-bucket histogram of milliseconds: O(1) record per sample (per tick), exact to its
// resolution up to its ceiling, so p99 and max are real figures, not averages. snapshot() gives
// its cumulative contents as JSON (see histogramSnapshot.ts for the layout and the window arithmetic).
// The bucket array is allocated at the first sample and grows (doubling) only as far as the largest
// sample seen: a histogram of 5 ms ticks holds ~500 buckets, not the 100 001 its ceiling allows, and
// one never recorded holds none (an empty room's timings cost next to nothing).
import { type HistogramSnapshot, overflowIndex, quantileOf } from './histogramSnapshot.js';

/** Buckets allocated at the first sample: 1 ms at the default resolution. */
const INITIAL_BUCKETS = 128;

export class MsHistogram {
  /** Counts of buckets 0 … length − 1 below the overflow; buckets past the end hold 0. */
  private counts: Uint32Array | undefined;
  /** Count of the overflow bucket (samples at or above the ceiling), kept apart so it never sizes `counts`. */
  private overflowCount = 0;
  private readonly bucketsPerMs: number;
  private readonly overflow: number;
  count = 0;
  max = 0;
  private sum = 0;

  /**
   * @param ceilingMs samples at or above it land in the overflow bucket (max stays exact). @default 1000 ms
   * @param resolutionMs bucket width. @default 0.01 ms (up to 100 001 buckets, 400 kB, allocated as samples need them)
   */
  constructor(
    private readonly ceilingMs = 1000,
    readonly resolutionMs = 0.01,
  ) {
    this.bucketsPerMs = 1 / resolutionMs;
    this.overflow = overflowIndex({ ceilingMs, resolutionMs });
  }

  record(ms: number): void {
    const value = ms > 0 ? ms : 0; // negatives and NaN count as 0
    const index = Math.min(this.overflow, Math.floor(value * this.bucketsPerMs));
    if (index === this.overflow) this.overflowCount++;
    else {
      let counts = this.counts;
      if (counts === undefined || index >= counts.length) counts = this.grow(index);
      counts[index]!++;
    }
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  /** Buckets allocated so far (0 before the first sample below the ceiling). */
  get allocatedBuckets(): number {
    return this.counts?.length ?? 0;
  }

  /** Counts long enough to hold bucket `index` (< overflow): double, or more when the sample needs it. */
  private grow(index: number): Uint32Array {
    const old = this.counts;
    const length = Math.min(this.overflow, Math.max(index + 1, 2 * (old?.length ?? 0), INITIAL_BUCKETS));
    const counts = new Uint32Array(length);
    if (old !== undefined) counts.set(old);
    this.counts = counts;
    return counts;
  }

  /** The value at quantile q (0..1): the upper edge of the bucket holding it, capped at max (quantileOf's rule). */
  quantile(q: number): number {
    return quantileOf(this.snapshot(), q);
  }

  mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Sum of every sample in ms (negatives counted as 0). */
  get sumMs(): number {
    return this.sum;
  }

  summary(): { count: number; p50: number; p99: number; max: number; mean: number } {
    const round = (v: number) => Math.round(v * 1000) / 1000;
    return {
      count: this.count,
      p50: round(this.quantile(0.5)),
      p99: round(this.quantile(0.99)),
      max: round(this.max),
      mean: round(this.mean()),
    };
  }

  /**
   * The cumulative contents, non-zero buckets only. Scans buckets up to the one holding max, so a
   * histogram of 5 ms ticks costs 500 steps, not 100 001.
   */
  snapshot(): HistogramSnapshot {
    const buckets: [number, number][] = [];
    const counts = this.counts;
    const top = Math.min(this.overflow - 1, Math.floor(this.max * this.bucketsPerMs), (counts?.length ?? 0) - 1);
    for (let i = 0; i <= top; i++) {
      const n = counts![i]!;
      if (n !== 0) buckets.push([i, n]);
    }
    if (this.overflowCount !== 0) buckets.push([this.overflow, this.overflowCount]);
    return {
      resolutionMs: this.resolutionMs,
      ceilingMs: this.ceilingMs,
      count: this.count,
      sumMs: this.sum,
      maxMs: this.max,
      buckets,
    };
  }

  reset(): void {
    this.counts?.fill(0);
    this.overflowCount = 0;
    this.count = 0;
    this.max = 0;
    this.sum = 0;
  }

  get ceiling(): number {
    return this.ceilingMs;
  }
}
