// The process's figures over all its rooms, in the shape telemetry reads from one room: counters
// summed over the live rooms plus what rooms already disposed had counted, timings pooled (every
// room records into them, RoomHooks.pooledTimings). Read per scrape and once a second: one pass over
// the rooms, O(rooms + players).
import type { RoomFigureSource } from '../metrics/roomFigureSource.js';
import type { Room } from '../room/room.js';
import { type ClientFigures, newRoomCounters, type RoomCounters } from '../room/roomFigures.js';
import { newSnapshotCounters, type SnapshotCounters } from '../snapshot/snapshotSender.js';
import type { TickTimings } from '../stats/tickTimings.js';

/** Add every number of `from` into `into` (one level deep: RoomCounters.closes is a record). */
function addInto<T extends object>(into: T, from: T): void {
  const target = into as Record<string, unknown>;
  for (const [key, value] of Object.entries(from)) {
    if (typeof value === 'number') target[key] = ((target[key] as number | undefined) ?? 0) + value;
    else if (typeof value === 'object' && value !== null) {
      target[key] ??= {};
      addInto(target[key] as object, value as object);
    }
  }
}

export class ProcessFigures implements RoomFigureSource {
  readonly failed = false;
  /** What disposed rooms had counted, so process totals never go down. */
  private readonly retired = {
    counters: newRoomCounters(),
    snapshots: newSnapshotCounters(),
    roster: { sent: 0, bytes: 0 },
    inputs: { droppedInputs: 0, starvedTicks: 0 },
  };

  constructor(
    readonly timings: TickTimings,
    private readonly rooms: () => Iterable<Room>,
  ) {}

  /** A room is being disposed: keep its counts in the totals. */
  retire(room: Room): void {
    addInto(this.retired.counters, room.counters);
    addInto(this.retired.snapshots, room.snapshots.counters);
    this.retired.roster.sent += room.roster.sent;
    this.retired.roster.bytes += room.roster.bytes;
    addInto(this.retired.inputs, room.inputTotals());
  }

  get tick(): number {
    let tick = 0;
    for (const room of this.rooms()) tick = Math.max(tick, room.tick);
    return tick;
  }

  get playerCount(): number {
    let players = 0;
    for (const room of this.rooms()) players += room.playerCount;
    return players;
  }

  get sessionCount(): number {
    let sessions = 0;
    for (const room of this.rooms()) sessions += room.sessionCount;
    return sessions;
  }

  get counters(): RoomCounters {
    const sum = newRoomCounters();
    addInto(sum, this.retired.counters);
    for (const room of this.rooms()) addInto(sum, room.counters);
    return sum;
  }

  get snapshots(): { counters: SnapshotCounters } {
    const sum = newSnapshotCounters();
    addInto(sum, this.retired.snapshots);
    for (const room of this.rooms()) addInto(sum, room.snapshots.counters);
    return { counters: sum };
  }

  get roster(): { sent: number; bytes: number } {
    const sum = { ...this.retired.roster };
    for (const room of this.rooms()) {
      sum.sent += room.roster.sent;
      sum.bytes += room.roster.bytes;
    }
    return sum;
  }

  inputTotals(): { droppedInputs: number; starvedTicks: number } {
    const sum = { ...this.retired.inputs };
    for (const room of this.rooms()) addInto(sum, room.inputTotals());
    return sum;
  }

  clientFigures(): ClientFigures {
    const all: ClientFigures = { inputQueueDepth: [], rttMs: [], clockOffsetMs: [] };
    for (const room of this.rooms()) {
      const figures = room.clientFigures();
      all.inputQueueDepth.push(...figures.inputQueueDepth);
      all.rttMs.push(...figures.rttMs);
      all.clockOffsetMs.push(...figures.clockOffsetMs);
    }
    return all;
  }

  ackTotals(): { meanRttMs: number | null; clientsNotApplying: number } {
    let weighted = 0;
    let players = 0;
    let behind = 0;
    for (const room of this.rooms()) {
      const totals = room.ackTotals();
      behind += totals.clientsNotApplying;
      if (totals.meanRttMs !== null) {
        weighted += totals.meanRttMs * room.playerCount;
        players += room.playerCount;
      }
    }
    return {
      meanRttMs: players === 0 ? null : Math.round((weighted / players) * 100) / 100,
      clientsNotApplying: behind,
    };
  }
}
