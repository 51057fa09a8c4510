// GET /stats: the schema-2 shape the profiler and the dashboard read, from a driven room, and the
// rooms' totals and rows from a host whose rooms come and go.
import { afterAll, describe, expect, it } from 'vitest';
import { ProcessMonitor } from '../src/metrics/processMonitor.js';
import { buildStats, STATS_SCHEMA } from '../src/metrics/statsReport.js';
import { PRIVATE_ROOM_ID } from '../src/rooms/roomReport.js';
import { makeCrowdRoom } from './support/crowdRoom.js';
import { makeHostedRooms } from './support/hostedRooms.js';

describe('buildStats', () => {
  const monitor = new ProcessMonitor();
  afterAll(() => monitor.stop());

  it('reports schema 2 with ticks, named histograms, counters and process figures', () => {
    const crowd = makeCrowdRoom(4, { snapshotRate: 15 });
    crowd.ticks(6);
    const clock = { tick: 6, droppedTicks: 0, wakeUps: 6 };
    // The room stands alone here (no host): the rooms' totals and rows are tested below.
    const rooms = makeHostedRooms().rooms;
    const stats = buildStats({
      config: crowd.config,
      room: crowd.room,
      rooms,
      clock,
      process: monitor,
      now: () => 1234.5,
    });
    expect(stats).toMatchObject({
      schema: 2,
      timeMs: 1234.5,
      scenario: 'arena',
      tickRate: 30,
      snapshotRate: 15,
      tickTiming: true,
      tick: 6,
      players: 4,
      connections: 4,
      ticks: { run: 6, dropped: 0, overruns: expect.any(Number), wakeUps: 6 },
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
        'piecesEncoded',
        'pieceBytesEncoded',
        'laggingPieces',
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

  it('gives the rooms totals and a row per room: players, phase, lateness and tick time since each was made', async () => {
    const t = makeHostedRooms();
    const ann = await t.join({ mode: 'create', scenario: 'arena', maxPlayers: 4 }, 'ann');
    await t.join({ mode: 'join', roomId: ann.roomId }, 'bob');
    await t.ask({ mode: 'create', scenario: 'game', maxPlayers: 6, private: true });
    const gone = await t.ask({ mode: 'create' });
    t.advanceTo(2000);
    t.host.closeRoom(gone.roomId);
    const stats = buildStats({
      config: { ...t.config, scenario: 'arena' },
      room: t.host.figures,
      rooms: t.rooms,
      clock: t.clock,
      process: monitor,
      now: () => 1,
    });
    expect(stats.schema).toBe(STATS_SCHEMA);
    expect(stats.rooms).toEqual({
      live: 2,
      max: 8,
      created: 3,
      disposed: 1,
      failed: 0,
      byPhase: { running: 1, created: 1 },
    });
    expect(stats.players).toBe(2);
    expect(stats.ticks.run).toBe(t.scheduler.roomTicks);
    expect(stats.ticks.wakeUps).toBe(t.scheduler.wakeUps);
    expect(
      stats.roomList.map((row) => [row.id, row.scenario, row.private, row.phase, row.players, row.maxPlayers]),
    ).toEqual([
      [ann.roomId, 'arena', false, 'running', 2, 4],
      [PRIVATE_ROOM_ID, 'game', true, 'created', 0, 6],
    ]);
    const [row] = stats.roomList;
    expect(row!.tickRate).toBe(t.config.tickRate);
    expect(row!.tick).toBeGreaterThan(0);
    // Each room's own histograms: as many samples as it ran ticks.
    expect(row!.latenessMs.count).toBe(row!.tick);
    expect(row!.tickMs.count).toBe(row!.tick);
    expect(Object.keys(row!.latenessMs).sort()).toEqual(['count', 'max', 'mean', 'p50', 'p99']);
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });
});
