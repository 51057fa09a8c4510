// What /stats, /metrics and the dashboard read from "the rooms": the process's sums over its rooms
// (rooms/processFigures.ts) or one room, and the rooms one by one (rooms/roomReport.ts). Read per
// request, per scrape and once a second.

import type { ClientFigures, RoomCounters } from '../room/roomFigures.js';
import type { SnapshotCounters } from '../snapshot/snapshotSender.js';
import type { TickTimings } from '../stats/tickTimings.js';

export interface RoomFigureSource {
  /** The newest tick run (over rooms: the highest). */
  readonly tick: number;
  /** Whether nothing runs any more (a room that failed; never true for a process). */
  readonly failed: boolean;
  readonly playerCount: number;
  readonly sessionCount: number;
  readonly timings: TickTimings;
  readonly counters: RoomCounters;
  readonly snapshots: { readonly counters: SnapshotCounters };
  readonly roster: { readonly sent: number; readonly bytes: number };
  inputTotals(): { droppedInputs: number; starvedTicks: number };
  clientFigures(): ClientFigures;
  ackTotals(): { meanRttMs: number | null; clientsNotApplying: number };
}

/** The tick counters telemetry reads: the room scheduler's sums (rooms/roomScheduler.ts). */
export interface TickCounts {
  /** Room-ticks run, over all rooms. */
  readonly tick: number;
  readonly droppedTicks: number;
  /** Times the scheduler's timer fired (rooms in one phase slot share a wake-up). */
  readonly wakeUps: number;
}

/** count, p50, p99, max and mean of a histogram, ms (MsHistogram.summary()). */
export interface HistogramSummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** One hosted room as /healthz, /stats and the dashboard list it (built by rooms/roomReport.ts). */
export interface RoomRow {
  id: string;
  scenario: string;
  /** Private rooms are listed too: these are the operator's views, not the lobby. */
  private: boolean;
  /** Its lifecycle phase (rooms/roomLifecycle.ts ROOM_PHASES). */
  phase: string;
  players: number;
  connections: number;
  maxPlayers: number;
  tickRate: number;
  /** Wall-clock ms since the epoch. */
  createdAt: number;
  tick: number;
  overruns: number;
  /** Since the room was made (each room's own histograms; the process's are pooled). */
  latenessMs: HistogramSummary;
  tickMs: HistogramSummary;
  combat: Record<string, number>;
  chat: Record<string, number>;
}

/** The rooms of a process, counted. */
export interface RoomTotals {
  /** Rooms hosted now, and the most this process hosts (--max-rooms). */
  live: number;
  max: number;
  /** Since start: rooms made, disposed (idle, closed or after failing) and failed. */
  created: number;
  disposed: number;
  failed: number;
  /** Rooms by lifecycle phase now. */
  byPhase: Record<string, number>;
}

/** What telemetry reads about the rooms one by one. Every call is one pass over the hosted rooms (≤ --max-rooms). */
export interface RoomsSource {
  totals(): RoomTotals;
  /**
   * A row per hosted room, oldest first; or, with `fullest`, the `fullest` rooms with the most
   * players (ties: oldest first), and in `rest` how many rooms were left out.
   */
  rows(fullest?: number): { rows: RoomRow[]; rest: number };
}
