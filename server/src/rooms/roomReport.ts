// Per-room figures and room totals for /healthz, /stats, /metrics and the dashboard: one pass over
// the rooms per request, per scrape and once a second. Bounded by --max-rooms (a process never lists
// more rooms than it may host); the dashboard asks for its fullest rooms only.
import type { RoomRow, RoomsSource, RoomTotals } from '../metrics/roomFigureSource.js';
import type { HostedRoom, RoomHost } from './roomHost.js';

export type { RoomRow, RoomTotals };

export function roomTotals(host: RoomHost, maxRooms: number): RoomTotals {
  const byPhase: Record<string, number> = {};
  for (const hosted of host.hosted()) byPhase[hosted.life.phase] = (byPhase[hosted.life.phase] ?? 0) + 1;
  return { live: host.size, max: maxRooms, ...host.totals, byPhase };
}

/** One hosted room's row: two histogram summaries, a few counters. */
/** What /healthz, /stats and the dashboard show instead of a private room's id. */
export const PRIVATE_ROOM_ID = '(private)';

export function roomRow(hosted: HostedRoom): RoomRow {
  const { room } = hosted;
  return {
    // A private room's id is its key (anyone who has it can join): never shown, only that it exists.
    id: hosted.private ? PRIVATE_ROOM_ID : hosted.id,
    scenario: hosted.scenario,
    private: hosted.private,
    phase: hosted.life.phase,
    players: room.playerCount,
    connections: room.sessionCount,
    maxPlayers: hosted.maxPlayers,
    tickRate: hosted.tickRate,
    createdAt: hosted.createdAt,
    tick: room.tick,
    overruns: room.timings.overruns,
    latenessMs: room.timings.latenessMs.summary(),
    tickMs: room.timings.tickMs.summary(),
    combat: { ...room.game.counters, eventsOverwritten: room.game.events.overwritten },
    chat: { ...room.chat.counters },
  };
}

/** One row per hosted room, oldest first (private ones too, without their id: see roomRow). */
export function roomFigures(host: RoomHost): RoomRow[] {
  return [...host.hosted()].map(roomRow);
}

/**
 * The `count` rooms with the most players (ties: oldest first), and how many were left out. Rows are
 * built for those rooms only: sorting by a counter is cheap, a row reads two histograms.
 */
export function fullestRooms(host: RoomHost, count: number): { rows: RoomRow[]; rest: number } {
  // hosted() is oldest first and the sort is stable, so ties stay oldest first.
  const all = [...host.hosted()].sort((a, b) => b.room.playerCount - a.room.playerCount);
  const kept = all.slice(0, Math.max(0, count));
  return { rows: kept.map(roomRow), rest: all.length - kept.length };
}

/** The host's rooms as telemetry reads them. */
export function roomsSource(host: RoomHost, maxRooms: number): RoomsSource {
  return {
    totals: () => roomTotals(host, maxRooms),
    rows: (fullest) => (fullest === undefined ? { rows: roomFigures(host), rest: 0 } : fullestRooms(host, fullest)),
  };
}
