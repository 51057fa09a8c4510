// The dashboard's room table: the fullest rooms as lean rows, plus how many rooms were left out, so
// a second's message stays small however many rooms the process hosts. Built once a second.
import type { RoomsSource } from '../metrics/roomFigureSource.js';

/** Rooms a second's message lists at most: the fullest, the rest only counted. @default 50 */
export const DASHBOARD_ROOMS = 50;

/** One room as the dashboard's table shows it. */
export interface DashboardRoom {
  id: string;
  scenario: string;
  private: boolean;
  phase: string;
  players: number;
  maxPlayers: number;
  /** p99s since the room was made, ms. */
  latenessP99Ms: number;
  tickP99Ms: number;
}

export interface DashboardRooms {
  /** Rooms hosted now (rows.length + rest). */
  live: number;
  /** The fullest rooms, most players first (ties: oldest first). */
  rows: DashboardRoom[];
  /** Rooms not listed. */
  rest: number;
}

export function dashboardRooms(source: RoomsSource, limit = DASHBOARD_ROOMS): DashboardRooms {
  const { rows, rest } = source.rows(limit);
  return {
    live: rows.length + rest,
    rows: rows.map((row) => ({
      id: row.id,
      scenario: row.scenario,
      private: row.private,
      phase: row.phase,
      players: row.players,
      maxPlayers: row.maxPlayers,
      latenessP99Ms: row.latenessMs.p99,
      tickP99Ms: row.tickMs.p99,
    })),
    rest,
  };
}
