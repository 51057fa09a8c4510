// Per-room figures and room totals for /healthz and /stats: one pass over the rooms per request.
// Bounded by --max-rooms (a process never lists more rooms than it may host).
import type { RoomHost } from './roomHost.js';

export interface RoomTotals {
  /** Rooms hosted now, and the most this process hosts (--max-rooms). */
  live: number;
  max: number;
  /** Since start: rooms made, disposed (idle, closed or after failing) and failed. */
  created: number;
  disposed: number;
  failed: number;
  /** Rooms by lifecycle phase now (roomLifecycle.ts). */
  byPhase: Record<string, number>;
}

export function roomTotals(host: RoomHost, maxRooms: number): RoomTotals {
  const byPhase: Record<string, number> = {};
  for (const hosted of host.hosted()) byPhase[hosted.life.phase] = (byPhase[hosted.life.phase] ?? 0) + 1;
  return { live: host.size, max: maxRooms, ...host.totals, byPhase };
}

/** One row per hosted room (private ones too: /healthz is the operator's view, not the lobby). */
export function roomFigures(host: RoomHost): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const hosted of host.hosted()) {
    const { room } = hosted;
    rows.push({
      id: hosted.id,
      scenario: hosted.scenario,
      private: hosted.private,
      phase: hosted.life.phase,
      players: room.playerCount,
      connections: room.sessionCount,
      maxPlayers: hosted.maxPlayers,
      tickRate: room.timings.periodMs > 0 ? Math.round(1000 / room.timings.periodMs) : 0,
      createdAt: hosted.createdAt,
      tick: room.tick,
      overruns: room.timings.overruns,
      latenessMs: room.timings.latenessMs.summary(),
      tickMs: room.timings.tickMs.summary(),
      combat: { ...room.game.counters, eventsOverwritten: room.game.events.overwritten },
      chat: room.chat.counters,
    });
  }
  return rows;
}
