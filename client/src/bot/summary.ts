// Turns the run's counters into the records the CLI prints: a progress record once per second,
// a summary record once at the end, and the exit code. Pure functions of stats, totals and now.
import { type CorrectionTotals, correctionFigures } from './corrections.js';
import type { Histogram } from './histogram.js';
import type { BotStats, MeasureWindow, ReceiveTotals } from './stats.js';

/** Cumulative counters since the start of the run (corrections: every bot's, see CorrectionTotals). */
export interface ProgressRecord extends CorrectionTotals {
  type: 'progress';
  /** Seconds since the start of the run. */
  t: number;
  connected: number;
  joins: number;
  disconnects: number;
  bytesReceived: number;
  messagesReceived: number;
  snapshotsApplied: number;
  inputsSent: number;
  inputsCaughtUp: number;
  inputsSkipped: number;
}

/** p50 and p99 in ms, null without samples. */
export interface IntervalPercentiles {
  p50: number | null;
  p99: number | null;
}

export interface MatchmakeFigures extends IntervalPercentiles {
  count: number;
  failures: number;
}

/** Figures over the measured window (from the last join to the end); counts (corrections too) over the whole run. */
export interface SummaryRecord extends CorrectionTotals {
  type: 'summary';
  /** Bots asked for. */
  bots: number;
  /** Length of the measured window in seconds. */
  seconds: number;
  /** Payload bytes (no WebSocket framing) per client per second over the window. */
  bytesPerClientPerSecond: number;
  messagesPerClientPerSecond: number;
  snapshotIntervalMs: { bot0: IntervalPercentiles; all: IntervalPercentiles };
  /** Bots that closed without the CLI asking, or never got a seat. */
  disconnects: number;
  /** Close code → count, for the disconnects of opened sockets. */
  closeCodes: Record<string, number>;
  /** Matchmaking error code → count, for the bots that got no seat (also in disconnects). */
  matchmakeErrors: Record<string, number>;
  joins: number;
  /** Distinct rooms the bots played in (joined at least once). */
  rooms: number;
  /** Every POST /matchmake call of the run: p50/p99 in ms, calls made and calls that gave no seat. */
  matchmakeMs: MatchmakeFigures;
  inputsSent: number;
  inputsCaughtUp: number;
  inputsSkipped: number;
  protocolErrors: number;
  /** Drops after which a bot reconnected (PROTOCOL.md, Reconnecting), one per drop. */
  reconnects: number;
  /** Reconnects that took the player back. */
  resumes: number;
  /** Reconnects that did not (grace over, session expired, refused). */
  resumeFailures: number;
  /** Longest drop-to-resumed-WELCOME time, ms; 0 without resumes. */
  maxResumeMs: number;
  /**
   * Mean over the window's decoded snapshots (every bot's) of the entities in the bot's world after
   * it: the whole room without interest management, the bot's view with it. null when no bot decodes
   * its world (--load-only without a pilot reads only each snapshot's tick).
   */
  entitiesInViewMean: number | null;
  /**
   * Each client's SNAPSHOT payload bytes per second over the window (bots that had joined when it
   * started), mean and p99 (nearest rank) over those clients; null for an empty window. Header-only
   * bots count them too: the frame is received whole, only its body is left undecoded.
   */
  snapshotBytesPerClientPerSecond: { mean: number | null; p99: number | null };
  /**
   * Mean over the same snapshots as entitiesInViewMean of the entities held deferred (a byte budget,
   * PROTOCOL.md "Deferred entities"); null when no bot decodes its world.
   */
  deferredMean: number | null;
  /**
   * The longest any entity in a bot's world had gone unsent while deferred, in ms of server time
   * ((snapshot tick − the tick of the state it holds) × the tick's ms), over the window; 0 when none
   * was deferred; null when no bot decodes its world.
   */
  maxDeferredMs: number | null;
}

export function progressRecord(stats: BotStats, totals: ReceiveTotals, nowMs: number): ProgressRecord {
  return {
    type: 'progress',
    t: round((nowMs - stats.startMs) / 1000, 3),
    connected: stats.connected,
    joins: stats.joins,
    disconnects: stats.disconnects,
    bytesReceived: totals.bytesReceived,
    messagesReceived: totals.messagesReceived,
    snapshotsApplied: totals.snapshotsApplied,
    inputsSent: stats.inputsSent,
    inputsCaughtUp: stats.inputsCaughtUp,
    inputsSkipped: stats.inputsSkipped,
    ...correctionFigures(totals.corrections),
  };
}

/**
 * Per-client rates divide by the bots connected when the window started (N when every bot
 * joined) and by the window's length; both are 0 for an empty window.
 */
export function summaryRecord(stats: BotStats, totals: ReceiveTotals, nowMs: number, bots: number): SummaryRecord {
  const { window } = stats;
  const seconds = Math.max(0, (nowMs - window.startMs) / 1000);
  const perClientSecond = window.clients > 0 && seconds > 0 ? 1 / (window.clients * seconds) : 0;
  return {
    type: 'summary',
    bots,
    seconds: round(seconds, 3),
    bytesPerClientPerSecond: round((totals.bytesReceived - window.baseline.bytesReceived) * perClientSecond, 1),
    messagesPerClientPerSecond: round(
      (totals.messagesReceived - window.baseline.messagesReceived) * perClientSecond,
      2,
    ),
    snapshotIntervalMs: { bot0: percentiles(stats.bot0Intervals), all: percentiles(stats.allIntervals) },
    disconnects: stats.disconnects,
    closeCodes: Object.fromEntries([...stats.closeCodes].sort(([a], [b]) => a - b)),
    matchmakeErrors: Object.fromEntries([...stats.matchmakeErrors].sort(([a], [b]) => a.localeCompare(b))),
    joins: stats.joins,
    rooms: stats.rooms.size,
    matchmakeMs: {
      ...percentiles(stats.matchmakeMs),
      count: stats.matchmakeMs.count,
      failures: stats.matchmakeFailures,
    },
    inputsSent: stats.inputsSent,
    inputsCaughtUp: stats.inputsCaughtUp,
    inputsSkipped: stats.inputsSkipped,
    protocolErrors: stats.protocolErrors,
    ...correctionFigures(totals.corrections),
    reconnects: stats.reconnects,
    resumes: stats.resumes,
    resumeFailures: stats.resumeFailures,
    maxResumeMs: round(stats.maxResumeMs, 1),
    entitiesInViewMean: stats.worldsInView === 0 ? null : round(stats.entitiesInView / stats.worldsInView, 2),
    snapshotBytesPerClientPerSecond: perClientSnapshotRates(window, totals, seconds),
    deferredMean: stats.worldsInView === 0 ? null : round(stats.deferredInView / stats.worldsInView, 2),
    maxDeferredMs: stats.worldsInView === 0 ? null : round(stats.maxDeferredMs, 1),
  };
}

/** Per-client SNAPSHOT bytes/s over the window: its clients are the bots that had joined when it started. */
function perClientSnapshotRates(
  window: MeasureWindow,
  totals: ReceiveTotals,
  seconds: number,
): { mean: number | null; p99: number | null } {
  const rates: number[] = [];
  const base = window.baseline.snapshotBytesByBot;
  for (let i = 0; i < base.length; i++) {
    const before = base[i];
    const after = totals.snapshotBytesByBot[i];
    if (before === null || before === undefined || after === null || after === undefined) continue;
    rates.push((after - before) / seconds);
  }
  if (rates.length === 0 || seconds <= 0) return { mean: null, p99: null };
  rates.sort((a, b) => a - b);
  const mean = rates.reduce((sum, r) => sum + r, 0) / rates.length;
  return { mean: round(mean, 1), p99: round(rates[Math.ceil(0.99 * rates.length) - 1]!, 1) };
}

/** 1 when a bot disconnected without the CLI asking or never joined, else 0. */
export function exitCode(summary: SummaryRecord): 0 | 1 {
  return summary.disconnects > 0 || summary.joins < summary.bots ? 1 : 0;
}

function percentiles(histogram: Histogram): IntervalPercentiles {
  const p50 = histogram.percentile(50);
  const p99 = histogram.percentile(99);
  return { p50: p50 === undefined ? null : round(p50, 2), p99: p99 === undefined ? null : round(p99, 2) };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
