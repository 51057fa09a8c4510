// GET /stats: the schema-1 shape the profiler and the dashboard read, from a driven room.
import { afterAll, describe, expect, it } from 'vitest';
import { FixedStepClock } from '../src/fixedStepClock.js';
import { ProcessMonitor } from '../src/metrics/processMonitor.js';
import { buildStats } from '../src/metrics/statsReport.js';
import { makeCrowdRoom } from './support/crowdRoom.js';

describe('buildStats', () => {
  const monitor = new ProcessMonitor();
  afterAll(() => monitor.stop());

  it('reports schema 1 with ticks, named histograms, counters and process figures', () => {
    const crowd = makeCrowdRoom(4, { snapshotRate: 15 });
    crowd.ticks(6);
    const clock = new FixedStepClock(30, 5, 0);
    clock.tick = 6;
    const stats = buildStats({ config: crowd.config, room: crowd.room, clock, process: monitor, now: () => 1234.5 });
    expect(stats).toMatchObject({
      schema: 1,
      timeMs: 1234.5,
      scenario: 'arena',
      tickRate: 30,
      snapshotRate: 15,
      tickTiming: true,
      tick: 6,
      players: 4,
      connections: 4,
      rooms: 1,
      ticks: { run: 6, dropped: 0, overruns: expect.any(Number) },
      counters: {
        messagesIn: 4 + 24,
        snapshotsSent: 12,
        fullOnJoin: 4,
        fullFallbacks: 0,
        backpressureSkips: 0,
        droppedInputs: 0,
        starvedTicks: 0,
        joins: 4,
        leaves: 0,
      },
    });
    expect(new Date(stats.wallTime).toISOString()).toBe(stats.wallTime);
    expect(Object.keys(stats.counters).sort()).toEqual(
      [
        'bytesOut',
        'messagesOut',
        'bytesIn',
        'messagesIn',
        'snapshotsSent',
        'backpressureSkips',
        'fullFallbacks',
        'fullOnJoin',
        'droppedInputs',
        'starvedTicks',
        'joins',
        'leaves',
        'rosterMessages',
        'rosterBytes',
      ].sort(),
    );
    // 4 WELCOMEs, 12 snapshots, and the roster: a one-page PLAYERS to each joiner with its WELCOME,
    // then one ROSTER_CHANGES at the first tick (the 4 joins) to all 4.
    expect(stats.counters.messagesOut).toBe(4 + 12 + 4 + 4);
    expect(stats.counters.rosterMessages).toBe(4 + 4);
    expect(stats.counters.rosterBytes).toBeGreaterThan(0);
    expect(stats.histograms.tickMs!.count).toBe(6);
    expect(stats.histograms.snapshotEncodeMs!.count).toBe(3);
    expect(stats.histograms['system.MovementSystem']!.count).toBe(6);
    expect(Object.keys(stats.process).sort()).toEqual(
      [
        'cpuSystemUs',
        'cpuUserUs',
        'eventLoopDelayMs',
        'gcPauses',
        'heapTotalBytes',
        'heapUsedBytes',
        'rssBytes',
      ].sort(),
    );
    expect(Object.keys(stats.process.eventLoopDelayMs)).toEqual(['p50', 'p99', 'max']);
    expect(Object.keys(stats.process.gcPauses)).toEqual(['count', 'totalMs']);
    // Plain JSON: what the server sends is what the reader gets.
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });
});
