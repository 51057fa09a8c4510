// What /stats, /metrics and the dashboard read from "the rooms": one room, or the process's sum over
// its rooms (rooms/processFigures.ts). Read per scrape and once a second.

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

/** The tick counters telemetry reads: a FixedStepClock, or the room scheduler's sums. */
export interface TickCounts {
  readonly tick: number;
  readonly droppedTicks: number;
}
