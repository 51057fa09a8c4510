// A fixed-bucket histogram of milliseconds: O(1) record per sample (per tick), exact to its
// resolution up to its ceiling, so p99 and max are real figures, not averages. snapshot() gives
// its cumulative contents as JSON (see histogramSnapshot.ts for the layout and the window arithmetic).
import { type HistogramSnapshot, overflowIndex, quantileOf } from './histogramSnapshot.js';

export class MsHistogram {
  private readonly counts: Uint32Array;
  private readonly bucketsPerMs: number;
  private readonly overflow: number;
  count = 0;
  max = 0;
  private sum = 0;

  /**
   * @param ceilingMs samples at or above it land in the overflow bucket (max stays exact). @default 1000 ms
   * @param resolutionMs bucket width. @default 0.01 ms (the default layout is 100 001 buckets, 400 kB)
   */
  constructor(
    private readonly ceilingMs = 1000,
    readonly resolutionMs = 0.01,
  ) {
    this.bucketsPerMs = 1 / resolutionMs;
    this.overflow = overflowIndex({ ceilingMs, resolutionMs });
    this.counts = new Uint32Array(this.overflow + 1);
  }

  record(ms: number): void {
    const value = ms > 0 ? ms : 0; // negatives and NaN count as 0
    const index = Math.min(this.overflow, Math.floor(value * this.bucketsPerMs));
    this.counts[index]!++;
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
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
    const top = Math.min(this.overflow, Math.floor(this.max * this.bucketsPerMs));
    for (let i = 0; i <= top; i++) {
      const n = this.counts[i]!;
      if (n !== 0) buckets.push([i, n]);
    }
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
    this.counts.fill(0);
    this.count = 0;
    this.max = 0;
    this.sum = 0;
  }

  get ceiling(): number {
    return this.ceilingMs;
  }
}
