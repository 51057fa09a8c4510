// A fixed-bucket histogram of milliseconds: O(1) record per sample (per tick), exact to its
// resolution up to its ceiling, so p99 and max are real figures, not averages.

export class MsHistogram {
  private readonly counts: Uint32Array;
  private readonly bucketsPerMs: number;
  count = 0;
  max = 0;
  private sum = 0;

  /** @param ceilingMs samples above it land in the last bucket (max stays exact). @param resolutionMs bucket width. */
  constructor(
    private readonly ceilingMs = 1000,
    resolutionMs = 0.01,
  ) {
    this.bucketsPerMs = 1 / resolutionMs;
    this.counts = new Uint32Array(Math.ceil(ceilingMs * this.bucketsPerMs) + 1);
  }

  record(ms: number): void {
    const value = Math.max(ms, 0);
    const index = Math.min(this.counts.length - 1, Math.floor(value * this.bucketsPerMs));
    this.counts[index]!++;
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  /** The value at quantile q (0..1): the upper edge of the bucket holding it, capped at max. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        // The last bucket holds everything above the ceiling: only max is known there.
        if (i === this.counts.length - 1) return this.max;
        return Math.min(this.max, (i + 1) / this.bucketsPerMs);
      }
    }
    return this.max;
  }

  mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
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
