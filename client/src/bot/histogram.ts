// A fixed-width bucket histogram of durations in ms: O(1) per record (once per snapshot arrival),
// a scan of the buckets per percentile query (once per summary).

export interface HistogramOptions {
  /** Bucket width in ms. @default 0.1 ms */
  resolutionMs?: number;
  /** Values at or above this land in one overflow bucket (the exact maximum is still kept). @default 1000 ms */
  maxMs?: number;
}

/**
 * Percentiles are exact to half a bucket: a query answers the middle of the bucket holding the
 * nearest-rank sample, clamped to the exact min and max, so one sample reads back as itself.
 */
export class Histogram {
  readonly resolutionMs: number;
  readonly maxMs: number;
  /** 1 / resolutionMs: multiplying keeps 0.3 ms in bucket 3 where dividing by 0.1 would give 2.999…. */
  private readonly bucketsPerMs: number;
  private readonly buckets: Uint32Array;
  private overflow = 0;
  private total = 0;
  private sum = 0;
  private minValue = Number.POSITIVE_INFINITY;
  private maxValue = Number.NEGATIVE_INFINITY;

  constructor(options: HistogramOptions = {}) {
    this.resolutionMs = options.resolutionMs ?? 0.1;
    this.maxMs = options.maxMs ?? 1000;
    if (!(this.resolutionMs > 0) || !(this.maxMs > this.resolutionMs)) {
      throw new RangeError('histogram needs 0 < resolutionMs < maxMs');
    }
    this.bucketsPerMs = 1 / this.resolutionMs;
    this.buckets = new Uint32Array(Math.ceil(this.maxMs / this.resolutionMs));
  }

  get count(): number {
    return this.total;
  }

  /** Exact, undefined when empty. */
  get min(): number | undefined {
    return this.total === 0 ? undefined : this.minValue;
  }

  /** Exact, undefined when empty. */
  get max(): number | undefined {
    return this.total === 0 ? undefined : this.maxValue;
  }

  /** Exact, undefined when empty. */
  get mean(): number | undefined {
    return this.total === 0 ? undefined : this.sum / this.total;
  }

  /** Negative values count in the first bucket; NaN is ignored. */
  record(valueMs: number): void {
    if (Number.isNaN(valueMs)) return;
    const index = Math.floor(valueMs * this.bucketsPerMs);
    if (index >= this.buckets.length) this.overflow++;
    else this.buckets[Math.max(index, 0)]!++;
    this.total++;
    this.sum += valueMs;
    if (valueMs < this.minValue) this.minValue = valueMs;
    if (valueMs > this.maxValue) this.maxValue = valueMs;
  }

  /** Nearest-rank percentile, `p` in [0, 100]; undefined when empty. */
  percentile(p: number): number | undefined {
    if (this.total === 0) return undefined;
    const rank = Math.max(1, Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return this.clamp((i + 0.5) * this.resolutionMs);
    }
    // The rank falls in the overflow bucket: the best value known there is the maximum.
    return this.maxValue;
  }

  reset(): void {
    this.buckets.fill(0);
    this.overflow = 0;
    this.total = 0;
    this.sum = 0;
    this.minValue = Number.POSITIVE_INFINITY;
    this.maxValue = Number.NEGATIVE_INFINITY;
  }

  /** Samples at or above maxMs. */
  get overflowCount(): number {
    return this.overflow;
  }

  private clamp(value: number): number {
    return Math.min(Math.max(value, this.minValue), this.maxValue);
  }
}
