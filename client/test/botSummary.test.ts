// Tests for the bot CLI's records and their formatting (client/src/bot/summary.ts, report.ts, stats.ts).
import { describe, expect, it } from 'vitest';
import { formatProgress, formatSummary } from '../src/bot/report.js';
import { BotStats, type ReceiveTotals } from '../src/bot/stats.js';
import { exitCode, progressRecord, type SummaryRecord, summaryRecord } from '../src/bot/summary.js';

/** Every run has the same corrections: 2 mispredictions, 3 dropped-input, 1 starved-input, 2 deaths and a respawn. */
function totals(
  bytesReceived: number,
  messagesReceived: number,
  snapshotsApplied = messagesReceived,
  snapshotBytesByBot: (number | null)[] = [],
): ReceiveTotals {
  const corrections = {
    mispredictions: 2,
    maxMispredictionUnits: 6.6875,
    droppedInputCorrections: 3,
    starvedInputCorrections: 1,
    unpredictable: 3,
    unpredictableCauses: { death: 2, respawn: 1, resume: 0, move: 0, teleport: 0 },
    maxUnpredictableUnits: 1346.06251,
  };
  return { bytesReceived, messagesReceived, snapshotsApplied, corrections, snapshotBytesByBot };
}

/** The corrections as the records carry them (sizes rounded to 1/1000 unit). */
const CORRECTION_FIGURES = {
  mispredictions: 2,
  maxMispredictionUnits: 6.688,
  droppedInputCorrections: 3,
  starvedInputCorrections: 1,
  unpredictable: 3,
  unpredictableCauses: { death: 2, respawn: 1, resume: 0, move: 0, teleport: 0 },
  maxUnpredictableUnits: 1346.063,
};

/**
 * Two bots, each seated by one matchmaking call (4 ms and 6 ms) in room "r1": joins at 100 ms and
 * 300 ms (start at 0), then 10 s of 30 snapshots/s of 400 bytes each.
 */
function twoBotRun(): { stats: BotStats; end: ReceiveTotals; endMs: number } {
  const stats = new BotStats(0);
  stats.recordMatchmake(4, true);
  stats.recordMatchmake(6, true);
  stats.recordJoin(100, totals(20, 1, 0), 'r1');
  stats.recordSnapshotInterval(0, 500); // before the last join: not in the window
  stats.recordJoin(300, totals(1_000, 10, 8), 'r1');
  for (let i = 0; i < 300; i++) {
    stats.recordSnapshotInterval(0, 33);
    stats.recordSnapshotInterval(1, i < 297 ? 33.4 : 50);
  }
  stats.inputsSent = 600;
  return { stats, end: totals(1_000 + 2 * 300 * 400, 10 + 600, 8 + 600), endMs: 10_300 };
}

describe('summaryRecord', () => {
  it('computes per-client rates and intervals over the window since the last join', () => {
    const { stats, end, endMs } = twoBotRun();
    const summary = summaryRecord(stats, end, endMs, 2);
    expect(summary).toEqual({
      type: 'summary',
      bots: 2,
      seconds: 10,
      bytesPerClientPerSecond: 12_000,
      messagesPerClientPerSecond: 30,
      snapshotIntervalMs: { bot0: { p50: 33, p99: 33 }, all: { p50: 33.05, p99: 33.45 } },
      disconnects: 0,
      closeCodes: {},
      matchmakeErrors: {},
      joins: 2,
      rooms: 1,
      matchmakeMs: { p50: 4.05, p99: 6, count: 2, failures: 0 },
      inputsSent: 600,
      inputsCaughtUp: 0,
      inputsSkipped: 0,
      protocolErrors: 0,
      ...CORRECTION_FIGURES,
      reconnects: 0,
      resumes: 0,
      resumeFailures: 0,
      maxResumeMs: 0,
      entitiesInViewMean: null,
      snapshotBytesPerClientPerSecond: { mean: null, p99: null },
      deferredMean: null,
      maxDeferredMs: null,
    } satisfies SummaryRecord);
    expect(exitCode(summary)).toBe(0);
  });

  it('reports the mean entities in view over the snapshots decoded since the last join, null when none were', () => {
    const stats = new BotStats(0);
    stats.recordJoin(100, totals(0, 1), 'r1');
    stats.recordView(500); // before the last join: not in the window
    stats.recordJoin(200, totals(0, 2), 'r1');
    // Bot 0 sees 12 and then 14 entities, bot 1 sees 9 three times: (12 + 14 + 9 × 3) / 5.
    for (const entities of [12, 9, 14, 9, 9]) stats.recordView(entities);
    const summary = summaryRecord(stats, totals(0, 7), 1200, 2);
    expect(summary.entitiesInViewMean).toBe(10.6);
    expect(formatSummary(summary, false)).toContain('in view: 10.6 entities per snapshot, mean');
    expect(JSON.parse(formatSummary(summary, true))).toMatchObject({ entitiesInViewMean: 10.6 });
    const headersOnly = summaryRecord(new BotStats(0), totals(0, 7), 1200, 2);
    expect(headersOnly.entitiesInViewMean).toBeNull();
    expect(formatSummary(headersOnly, false)).toContain('in view: – (no bot decodes its world)');
  });

  it("reports each client's snapshot bytes per second, mean and p99 over the bots joined when the window started", () => {
    const stats = new BotStats(0);
    // Bots 0–99 join; bot 100 never does (null), so it is no client.
    const joined = (bytes: (i: number) => number) => [...Array.from({ length: 100 }, (_, i) => bytes(i)), null];
    stats.recordJoin(
      1_000,
      totals(
        0,
        0,
        0,
        joined(() => 0),
      ),
      'r1',
    );
    stats.recordJoin(
      2_000,
      totals(
        0,
        0,
        0,
        joined((i) => 50 * i),
      ),
      'r1',
    );
    // 4 s later bot i has received 40 × (i + 1) B/s more: 40 … 4,000 B/s.
    const summary = summaryRecord(
      stats,
      totals(
        0,
        0,
        0,
        joined((i) => 50 * i + 160 * (i + 1)),
      ),
      6_000,
      101,
    );
    // Mean 40 × 50.5; p99 by nearest rank is the 99th of 100 rates.
    expect(summary.snapshotBytesPerClientPerSecond).toEqual({ mean: 2_020, p99: 3_960 });
    expect(formatSummary(summary, false)).toContain('snapshots per client: 2,020 B/s mean, 3,960 B/s p99');
  });

  it('reports the entities held deferred per snapshot and the longest one went unsent, since the last join', () => {
    const stats = new BotStats(0);
    stats.recordJoin(100, totals(0, 1), 'r1');
    stats.recordView(20, 9, 5_000); // before the last join: not in the window
    stats.recordJoin(200, totals(0, 2), 'r1');
    stats.recordView(10, 0, 0);
    stats.recordView(12, 3, 466.7);
    stats.recordView(12, 1, 933.3);
    stats.recordView(11, 0, 0);
    const summary = summaryRecord(stats, totals(0, 7), 1200, 2);
    expect([summary.deferredMean, summary.maxDeferredMs]).toEqual([1, 933.3]);
    expect(formatSummary(summary, false)).toContain('1 deferred, mean; longest unsent while deferred 933.3 ms');
    const headersOnly = summaryRecord(new BotStats(0), totals(0, 7), 1200, 2);
    expect([headersOnly.deferredMean, headersOnly.maxDeferredMs]).toEqual([null, null]);
  });

  it('counts reconnects, resumes, failures and the longest resume', () => {
    const { stats, end, endMs } = twoBotRun();
    stats.recordReconnect();
    stats.recordReconnect();
    stats.recordReconnect();
    stats.recordResume(310.25);
    stats.recordResume(1200);
    stats.recordResumeFailure();
    const summary = summaryRecord(stats, end, endMs, 2);
    expect(summary).toMatchObject({ reconnects: 3, resumes: 2, resumeFailures: 1, maxResumeMs: 1200 });
    expect(formatSummary(summary, false)).toContain('reconnects: 3, 2 resumed (longest 1,200 ms), 1 not');
    expect(JSON.parse(formatSummary(summary, true))).toMatchObject({ reconnects: 3, maxResumeMs: 1200 });
  });

  it('reports disconnects with their close codes and exits 1', () => {
    const { stats, end, endMs } = twoBotRun();
    stats.recordDisconnect(4007, true);
    stats.recordDisconnect(1006, true);
    stats.recordDisconnect(4007, false);
    const summary = summaryRecord(stats, end, endMs, 2);
    expect(summary.disconnects).toBe(3);
    expect(summary.closeCodes).toEqual({ 1006: 1, 4007: 2 });
    expect(stats.connected).toBe(0);
    expect(exitCode(summary)).toBe(1);
  });

  it('counts a bot refused a seat as a disconnect with its error code, and its call as a failure', () => {
    const { stats, end, endMs } = twoBotRun();
    stats.recordMatchmake(250, false);
    stats.recordSeatRefused('room-full');
    stats.recordSeatRefused('room-full');
    stats.recordSeatRefused('at-capacity');
    const summary = summaryRecord(stats, end, endMs, 5);
    expect(summary).toMatchObject({
      disconnects: 3,
      closeCodes: {},
      matchmakeErrors: { 'at-capacity': 1, 'room-full': 2 },
      matchmakeMs: { p50: 6.05, p99: 250, count: 3, failures: 1 },
    });
    expect(exitCode(summary)).toBe(1);
  });

  it('counts the distinct rooms the bots joined', () => {
    const stats = new BotStats(0);
    for (const room of ['a', 'b', 'a', 'c', 'b']) stats.recordJoin(1, totals(0, 1), room);
    expect(summaryRecord(stats, totals(0, 5), 2, 5).rooms).toBe(3);
    expect(summaryRecord(new BotStats(0), totals(0, 0), 2, 5)).toMatchObject({
      rooms: 0,
      matchmakeMs: { p50: null, p99: null, count: 0, failures: 0 },
    });
  });

  it('exits 1 when a bot never joined', () => {
    const { stats, end, endMs } = twoBotRun();
    expect(exitCode(summaryRecord(stats, end, endMs, 3))).toBe(1);
  });

  it('gives zero rates and null intervals for a run where nobody joined', () => {
    const summary = summaryRecord(new BotStats(50), totals(0, 0), 1050, 4);
    expect(summary.seconds).toBe(1);
    expect(summary.bytesPerClientPerSecond).toBe(0);
    expect(summary.messagesPerClientPerSecond).toBe(0);
    expect(summary.snapshotIntervalMs).toEqual({ bot0: { p50: null, p99: null }, all: { p50: null, p99: null } });
    expect(exitCode(summary)).toBe(1);
  });

  it('does not count an expected close as a disconnect', () => {
    const stats = new BotStats(0);
    stats.recordJoin(1, totals(0, 1), 'r1');
    stats.recordExpectedClose(true);
    expect(stats.connected).toBe(0);
    expect(stats.disconnects).toBe(0);
  });
});

describe('progressRecord', () => {
  it('carries cumulative counters and seconds since the start', () => {
    const { stats, end } = twoBotRun();
    expect(progressRecord(stats, end, 2_000)).toEqual({
      type: 'progress',
      t: 2,
      connected: 2,
      joins: 2,
      disconnects: 0,
      bytesReceived: 241_000,
      messagesReceived: 610,
      snapshotsApplied: 608,
      inputsSent: 600,
      inputsCaughtUp: 0,
      inputsSkipped: 0,
      ...CORRECTION_FIGURES,
    });
  });
});

describe('report', () => {
  it('prints one JSON object per line with --json', () => {
    const { stats, end, endMs } = twoBotRun();
    const progress = formatProgress(progressRecord(stats, end, 1000), true, 2);
    const summary = formatSummary(summaryRecord(stats, end, endMs, 2), true);
    expect(progress).not.toContain('\n');
    expect(summary).not.toContain('\n');
    expect(JSON.parse(progress).type).toBe('progress');
    expect(JSON.parse(summary).snapshotIntervalMs.bot0).toEqual({ p50: 33, p99: 33 });
  });

  it('prints readable text otherwise', () => {
    const { stats, end, endMs } = twoBotRun();
    stats.recordDisconnect(4007, true);
    expect(formatProgress(progressRecord(stats, end, 1000), false, 2)).toBe(
      '   1.0 s  connected 1/2  joins 2  disconnects 1  received 241,000 B in 610 messages  snapshots 608  inputs 600',
    );
    const text = formatSummary(summaryRecord(stats, end, endMs, 2), false);
    expect(text).toContain('12,000 B/s payload, 30 messages/s');
    expect(text).toContain('bot 0 p50 33 ms / p99 33 ms');
    expect(text).toContain('summary: 2 bots, 2 joined in 1 room, window');
    expect(text).toContain('matchmaking: 2 calls, 0 failed, p50 4.05 ms / p99 6 ms');
    expect(text).toContain('disconnects: 1 (close codes 4007 ×1)');
    expect(text).toContain(
      'corrections: 2 mispredictions (max 6.688 u), 3 dropped-input, 1 starved-input, 3 unpredictable (death ×2, respawn ×1; max 1,346.063 u)',
    );
    stats.recordSeatRefused('room-full');
    expect(formatSummary(summaryRecord(stats, end, endMs, 3), false)).toContain(
      'disconnects: 2 (close codes 4007 ×1) (no seat: room-full ×1)',
    );
  });
});
