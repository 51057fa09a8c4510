// GET /stats: the server's cumulative figures since start as one JSON object (schema 2), read by
// the profiler and the dashboard. Built per request (and its counters once a second for the
// dashboard); cheap: one pass over the rooms and their players, histograms as their non-zero buckets.

import type { HistogramSnapshot } from '../stats/histogramSnapshot.js';
import type { GcPauses, ProcessMonitor, ProcessReading } from './processMonitor.js';
import type { RoomFigureSource as Room, RoomRow, RoomsSource, RoomTotals, TickCounts } from './roomFigureSource.js';

/**
 * The /stats schema. 2: `rooms` is the rooms' totals (was the number 1), `roomList` has a row per
 * room, `tick` is the newest tick of any room and `ticks.run` counts room-ticks over all rooms.
 */
export const STATS_SCHEMA = 2;

/** Cumulative counters of the room since start. Bytes are WebSocket payload bytes, without framing. */
export interface StatsCounters {
  bytesOut: number;
  messagesOut: number;
  bytesIn: number;
  messagesIn: number;
  /** SNAPSHOT frames sent (one per client per snapshot tick, minus skips). */
  snapshotsSent: number;
  /** Snapshots not sent to a client whose socket was backed up. */
  backpressureSkips: number;
  /** Full snapshots because a client's baseline had left the ring. */
  fullFallbacks: number;
  /** Full snapshots to clients with no baseline yet (their first). */
  fullOnJoin: number;
  /** Interest management: entity pieces written once per tick and shared (0 in a room without a view radius or budget). */
  piecesEncoded: number;
  /** Their bytes, with the shots and kills lists. */
  pieceBytesEncoded: number;
  /** Pieces one client had of its own: a lagging baseline, or an entity it holds deferred. */
  laggingPieces: number;
  droppedInputs: number;
  /** Ticks that found a player's input queue empty. */
  starvedTicks: number;
  joins: number;
  leaves: number;
  /** Roster frames sent (PLAYERS pages to joiners, ROSTER_CHANGES to everyone), one per client; in messagesOut too. */
  rosterMessages: number;
  /** Their payload bytes; in bytesOut too. */
  rosterBytes: number;
}

export interface StatsReport {
  schema: typeof STATS_SCHEMA;
  /** The server's monotonic clock (performance.now), ms: take differences between two reads. */
  timeMs: number;
  /** Wall-clock time of the read, ISO 8601. */
  wallTime: string;
  scenario: string;
  tickRate: number;
  snapshotRate: number;
  /** Whether the phase histograms (systems, world, snapshot) are being filled (--tick-timing). */
  tickTiming: boolean;
  /** The newest tick run by any room. */
  tick: number;
  players: number;
  connections: number;
  /** Rooms hosted, made, disposed and failed, and rooms by phase (the same object as /healthz `rooms`). */
  rooms: RoomTotals;
  /** One row per hosted room (as /healthz `roomList`): its players, phase, lateness and tick time since it was made. */
  roomList: RoomRow[];
  /**
   * run: room-ticks over all rooms; overruns: ticks whose duration exceeded the tick period;
   * wakeUps: times the room scheduler's timer fired (several rooms share a wake-up).
   */
  ticks: { run: number; dropped: number; overruns: number; wakeUps: number };
  /** tickMs, latenessMs, worldExecuteMs, snapshotCaptureMs, snapshotEncodeMs, snapshotSendMs, system.<ClassName>. */
  histograms: Record<string, HistogramSnapshot>;
  counters: StatsCounters;
  /** The process monitor's reading, GC pauses as totals (their split by kind stays in /metrics). */
  process: Omit<ProcessReading, 'gcPauses'> & { gcPauses: GcPauses };
}

export interface StatsSources {
  config: { scenario: string; tickRate: number; snapshotRate: number; tickTiming: boolean };
  room: Room;
  rooms: RoomsSource;
  clock: TickCounts;
  process: ProcessMonitor;
  now: () => number;
}

/** The room's counters: a handful of additions, plus one pass over the players for input totals. */
export function readCounters(room: Room): StatsCounters {
  const snapshots = room.snapshots.counters;
  const inputs = room.inputTotals();
  return {
    bytesOut: room.counters.bytesOut + snapshots.bytesSent,
    messagesOut: room.counters.messagesOut + snapshots.framesSent,
    bytesIn: room.counters.bytesIn,
    messagesIn: room.counters.messagesIn,
    snapshotsSent: snapshots.framesSent,
    backpressureSkips: snapshots.backpressureSkips,
    fullFallbacks: snapshots.fullFallbacks,
    fullOnJoin: snapshots.fullOnJoin,
    piecesEncoded: snapshots.piecesEncoded,
    pieceBytesEncoded: snapshots.pieceBytesEncoded,
    laggingPieces: snapshots.laggingPieces,
    droppedInputs: inputs.droppedInputs,
    starvedTicks: inputs.starvedTicks,
    joins: room.counters.joins,
    leaves: room.counters.leaves,
    rosterMessages: room.roster.sent,
    rosterBytes: room.roster.bytes,
  };
}

export function buildStats({ config, room, rooms, clock, process: monitor, now }: StatsSources): StatsReport {
  const reading = monitor.read();
  return {
    schema: STATS_SCHEMA,
    timeMs: now(),
    wallTime: new Date().toISOString(),
    scenario: config.scenario,
    tickRate: config.tickRate,
    snapshotRate: config.snapshotRate,
    tickTiming: config.tickTiming,
    tick: room.tick,
    players: room.playerCount,
    connections: room.sessionCount,
    rooms: rooms.totals(),
    roomList: rooms.rows().rows,
    ticks: {
      run: clock.tick,
      dropped: clock.droppedTicks,
      overruns: room.timings.overruns,
      wakeUps: clock.wakeUps,
    },
    histograms: room.timings.snapshots(),
    counters: readCounters(room),
    process: {
      cpuUserUs: reading.cpuUserUs,
      cpuSystemUs: reading.cpuSystemUs,
      rssBytes: reading.rssBytes,
      heapUsedBytes: reading.heapUsedBytes,
      heapTotalBytes: reading.heapTotalBytes,
      eventLoopDelayMs: reading.eventLoopDelayMs,
      gcPauses: { count: reading.gcPauses.count, totalMs: reading.gcPauses.totalMs },
    },
  };
}
