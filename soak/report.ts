// The soak's figures and its lines of output: percentiles of the resume times, one line per sample
// and the end's report (text, or one JSON object with --json). Pure; run per sample and once at the end.

/** The figures /healthz gives a soak (`live` and, under --expose-gc, the heap after a GC). */
export interface Sample {
  /** Seconds since the bots started. */
  atS: number;
  heapUsedAfterGcBytes: number;
  rssBytes: number;
  players: number;
  rooms: number;
}

/** What is left after everyone has gone: every count must be 0. */
export interface LeftCounts {
  players: number;
  away: number;
  entities: number;
  sessions: number;
  seats: number;
  rooms: number;
  /** Active timers above the idle server's before the first bot. */
  timers: number;
  /** DBSIZE after the server stopped; null without --redis. */
  redisKeys: number | null;
}

export interface SoakReport {
  minutes: number;
  bots: number;
  rooms: number;
  redis: boolean;
  samples: Sample[];
  joins: number;
  leaves: number;
  drops: number;
  resumes: number;
  resumeFailures: number;
  seatRefusals: Record<string, number>;
  lostCloses: Record<number, number>;
  resumeMs: { count: number; p50: number | null; p99: number | null; max: number | null };
  left: LeftCounts;
  /** Every count in `left` is 0. */
  clean: boolean;
}

/** Nearest-rank percentile of `sorted` (ascending), null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function resumeSummary(times: readonly number[]): SoakReport['resumeMs'] {
  const sorted = [...times].sort((a, b) => a - b);
  const round = (value: number | null) => (value === null ? null : Math.round(value));
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length === 0 ? null : sorted[sorted.length - 1]!),
  };
}

export function isClean(left: LeftCounts): boolean {
  return Object.values(left).every((count) => count === 0 || count === null);
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function formatSample(sample: Sample): string {
  const at = `${Math.floor(sample.atS / 60)}:${String(Math.round(sample.atS % 60)).padStart(2, '0')}`;
  return `[${at}] heap after GC ${mib(sample.heapUsedAfterGcBytes)}, RSS ${mib(sample.rssBytes)}, players ${sample.players}, rooms ${sample.rooms}`;
}

export function formatReport(report: SoakReport): string {
  const { left, resumeMs } = report;
  const closes = byKind(report.lostCloses);
  const refusals = byKind(report.seatRefusals);
  return [
    `soak: ${report.minutes} min, ${report.bots} bots, about ${report.rooms} rooms${report.redis ? ', Redis' : ''}`,
    `churn: ${report.joins} joins, ${report.leaves} leaves, ${report.drops} connections reset, ${report.resumes} resumes, ${report.resumeFailures} resume failures, seats refused: ${refusals}, lost closes: ${closes}`,
    `resume time: ${resumeMs.count} resumes, p50 ${resumeMs.p50 ?? '-'} ms, p99 ${resumeMs.p99 ?? '-'} ms, max ${resumeMs.max ?? '-'} ms`,
    `left after everyone has gone: players ${left.players}, away ${left.away}, entities ${left.entities}, sessions ${left.sessions}, seats ${left.seats}, rooms ${left.rooms}, timers ${left.timers}, Redis keys ${left.redisKeys ?? 'n/a'}`,
    report.clean ? 'clean: every count is 0' : 'NOT CLEAN: a count above is not 0',
  ].join('\n');
}

function byKind(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([kind, count]) => `${kind}×${count}`).join(' ');
}
