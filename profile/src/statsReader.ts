// Reads the server's GET /stats (cumulative since start) and turns two reads into a window:
// once per second while a profile runs, and at the window's start and end.
import { STATS_SCHEMA, type StatsReport } from '../../server/src/metrics/statsReport.js';
import { diffHistograms, type HistogramSnapshot, type summarize } from '../../server/src/stats/histogramSnapshot.js';

/**
 * What GET /stats answers (schema STATS_SCHEMA): every figure cumulative since the server started. Counters are
 * read by name, so a counter one build lacks counts from zero (see statsWindow).
 */
export type ServerStats = Omit<StatsReport, 'counters'> & { counters: Record<string, number> };

export type Summary = ReturnType<typeof summarize>;

/** Prefix of the per-system histograms' keys in /stats. */
export const SYSTEM_PREFIX = 'system.';

/** How long one /stats request may take before the read fails. @default 5000 ms */
const STATS_TIMEOUT_MS = 5000;

export async function readStats(baseUrl: string, timeoutMs = STATS_TIMEOUT_MS): Promise<ServerStats> {
  const response = await fetch(`${baseUrl}/stats`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${baseUrl}/stats answered HTTP ${response.status}`);
  const stats = (await response.json()) as ServerStats;
  if (stats.schema !== STATS_SCHEMA)
    throw new Error(`GET /stats: schema ${String(stats.schema)}, this profiler reads schema ${STATS_SCHEMA}`);
  return stats;
}

/** What happened between two reads of /stats: histograms and counters differenced, seconds by the server's clock. */
export interface StatsWindow {
  seconds: number;
  ticks: { run: number; dropped: number; overruns: number };
  histograms: Record<string, HistogramSnapshot>;
  counters: Record<string, number>;
  /** Server CPU (user + system) seconds over the window, from the server's own process.cpuUsage(). */
  cpuSeconds: number;
}

/**
 * The window between `earlier` and `later` (reads of one server). A histogram or counter that only
 * `later` has (a system registered mid-run) counts from zero.
 */
export function statsWindow(later: ServerStats, earlier: ServerStats): StatsWindow {
  const histograms: Record<string, HistogramSnapshot> = {};
  for (const [key, h] of Object.entries(later.histograms)) {
    const before = earlier.histograms[key];
    histograms[key] = before === undefined ? h : diffHistograms(h, before);
  }
  const counters: Record<string, number> = {};
  for (const [key, value] of Object.entries(later.counters)) counters[key] = value - (earlier.counters[key] ?? 0);
  return {
    seconds: (later.timeMs - earlier.timeMs) / 1000,
    ticks: {
      run: later.ticks.run - earlier.ticks.run,
      dropped: later.ticks.dropped - earlier.ticks.dropped,
      overruns: later.ticks.overruns - earlier.ticks.overruns,
    },
    histograms,
    counters,
    cpuSeconds:
      (later.process.cpuUserUs + later.process.cpuSystemUs - earlier.process.cpuUserUs - earlier.process.cpuSystemUs) /
      1e6,
  };
}

/** The 'system.<Class>' histograms of a window, by class name, in /stats order. */
export function systemHistograms(histograms: Record<string, HistogramSnapshot>): [string, HistogramSnapshot][] {
  return Object.entries(histograms)
    .filter(([key]) => key.startsWith(SYSTEM_PREFIX))
    .map(([key, h]) => [key.slice(SYSTEM_PREFIX.length), h]);
}
