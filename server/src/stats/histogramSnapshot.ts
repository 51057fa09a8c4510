// A histogram's contents as plain JSON, and the arithmetic on it: windows (diff), merges and
// quantiles. Runs per /stats read, per dashboard push (once a second) and in the profiler; never per tick.
//
// Layout: linear buckets of resolutionMs. Bucket i holds [i·res, (i+1)·res); the last index,
// ceilingMs/resolutionMs, is the overflow bucket holding everything ≥ ceilingMs (only maxMs is
// known there). Snapshots are cumulative, so the window between two reads is their difference.

/** A histogram's cumulative contents as plain JSON: what /stats serves and the profiler diffs. */
export interface HistogramSnapshot {
  resolutionMs: number;
  ceilingMs: number;
  count: number;
  sumMs: number;
  maxMs: number;
  /** [bucketIndex, count], ascending, non-zero buckets only; the last index (ceilingMs/resolutionMs) is the overflow bucket */
  buckets: [number, number][];
}

/** Index of the overflow bucket of a layout. */
export function overflowIndex(h: Pick<HistogramSnapshot, 'resolutionMs' | 'ceilingMs'>): number {
  return Math.ceil(Math.round((h.ceilingMs / h.resolutionMs) * 1e6) / 1e6);
}

/**
 * Upper edge of bucket `index` in ms, as MsHistogram.quantile reports it: `(index + 1) / bucketsPerMs`.
 * Dividing by the bucket count per ms keeps decimal resolutions exact (3 / 100, not 3 × 0.01).
 */
export function bucketUpperEdgeMs(index: number, resolutionMs: number): number {
  return (index + 1) / (1 / resolutionMs);
}

function assertSameLayout(a: HistogramSnapshot, b: HistogramSnapshot): void {
  if (a.resolutionMs !== b.resolutionMs || a.ceilingMs !== b.ceilingMs) {
    throw new RangeError(
      `histogram layouts differ: ${a.resolutionMs} ms × ${a.ceilingMs} ms vs ${b.resolutionMs} ms × ${b.ceilingMs} ms`,
    );
  }
}

/**
 * The window between two reads of one histogram (`later` taken after `earlier`). Counts and sums
 * subtract exactly; the window's max is not stored, so it is the upper edge of its highest
 * non-empty bucket (exact to the resolution), never above `later.maxMs`. A window whose highest
 * bucket is the overflow bucket takes `later.maxMs`.
 */
export function diffHistograms(later: HistogramSnapshot, earlier: HistogramSnapshot): HistogramSnapshot {
  assertSameLayout(later, earlier);
  if (later.count < earlier.count) throw new RangeError('diffHistograms: `later` has fewer samples than `earlier`');
  const buckets: [number, number][] = [];
  let j = 0;
  for (const [index, count] of later.buckets) {
    while (j < earlier.buckets.length && earlier.buckets[j]![0] < index) j++;
    const before = j < earlier.buckets.length && earlier.buckets[j]![0] === index ? earlier.buckets[j]![1] : 0;
    if (count > before) buckets.push([index, count - before]);
  }
  const count = later.count - earlier.count;
  let maxMs = 0;
  const top = buckets.at(-1);
  if (top !== undefined) {
    maxMs =
      top[0] >= overflowIndex(later)
        ? later.maxMs
        : Math.min(later.maxMs, bucketUpperEdgeMs(top[0], later.resolutionMs));
  }
  return {
    resolutionMs: later.resolutionMs,
    ceilingMs: later.ceilingMs,
    count,
    sumMs: count === 0 ? 0 : Math.max(0, later.sumMs - earlier.sumMs),
    maxMs,
    buckets,
  };
}

/** Two histograms of the same layout as one (e.g. several rooms, or several windows). */
export function mergeHistograms(a: HistogramSnapshot, b: HistogramSnapshot): HistogramSnapshot {
  assertSameLayout(a, b);
  const buckets: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.buckets.length || j < b.buckets.length) {
    const x = a.buckets[i];
    const y = b.buckets[j];
    if (y === undefined || (x !== undefined && x[0] < y[0])) {
      buckets.push([x![0], x![1]]);
      i++;
    } else if (x === undefined || y[0] < x[0]) {
      buckets.push([y[0], y[1]]);
      j++;
    } else {
      buckets.push([x[0], x[1] + y[1]]);
      i++;
      j++;
    }
  }
  return {
    resolutionMs: a.resolutionMs,
    ceilingMs: a.ceilingMs,
    count: a.count + b.count,
    sumMs: a.sumMs + b.sumMs,
    maxMs: Math.max(a.maxMs, b.maxMs),
    buckets,
  };
}

/**
 * The value at quantile q (0..1) (MsHistogram.quantile reads it too): the upper edge of the bucket
 * holding the ceil(q·count)-th sample, capped at maxMs; maxMs itself in the overflow bucket; 0 when empty.
 */
export function quantileOf(h: HistogramSnapshot, q: number): number {
  if (h.count === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * h.count));
  const overflow = overflowIndex(h);
  let seen = 0;
  for (const [index, count] of h.buckets) {
    seen += count;
    if (seen >= rank) {
      if (index >= overflow) return h.maxMs;
      return Math.min(h.maxMs, bucketUpperEdgeMs(index, h.resolutionMs));
    }
  }
  return h.maxMs;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** The figures people read, rounded to the microsecond. */
export function summarize(h: HistogramSnapshot): {
  count: number;
  meanMs: number;
  p50: number;
  p95: number;
  p99: number;
  maxMs: number;
} {
  return {
    count: h.count,
    meanMs: h.count === 0 ? 0 : round3(h.sumMs / h.count),
    p50: round3(quantileOf(h, 0.5)),
    p95: round3(quantileOf(h, 0.95)),
    p99: round3(quantileOf(h, 0.99)),
    maxMs: round3(h.maxMs),
  };
}
