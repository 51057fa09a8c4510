// The per-room figures as rows of cells, for the terminal's summary table and the HTML report alike:
// built once per printed result. A run of many rooms shows its worst ones (by lateness p99).
import type { ProfileResult } from './result.js';
import type { RoomFigures } from './roomsReader.js';
import { num } from './textTable.js';

/** Rooms listed one per row; beyond this only the worst by lateness p99 are, and the rest counted. @default 12 */
export const ROOM_ROWS = 12;

export const ROOM_HEADER = [
  'room',
  'scenario',
  'players',
  'tick rate',
  'ticks in window',
  'lateness p50 / p99 ms',
  'tick p50 / p99 ms',
];

/** One line on the rooms and the bots' matchmaking; null when there is nothing to say (an old result). */
export function roomsLine(r: ProfileResult): string | null {
  const { bots } = r;
  const rooms = r.rooms ?? null;
  const parts: string[] = [];
  if (rooms !== null) {
    const worst = rooms.worstLatenessP99;
    parts.push(
      `${rooms.count} rooms on the server` +
        (worst === null ? '' : `, worst lateness p99 ${num(worst.p99, 3)} ms (room ${worst.id})`),
    );
  }
  if (bots.rooms !== undefined && bots.rooms !== null)
    parts.push(`bots in ${bots.rooms} room${bots.rooms === 1 ? '' : 's'}`);
  const mm = bots.matchmakeMs ?? null;
  if (mm !== null) {
    parts.push(
      `matchmaking ${num(mm.count)} calls p50 ${num(mm.p50, 2)} ms p99 ${num(mm.p99, 2)} ms, ${num(mm.failures)} failed`,
    );
  }
  return parts.length === 0 ? null : parts.join('; ');
}

/** Header, then a row per room (the ROOM_ROWS worst by lateness p99 when there are more, then a count of the rest). */
export function roomRows(r: ProfileResult): string[][] {
  const figures = r.rooms?.figures ?? [];
  if (figures.length === 0) return [];
  const shown =
    figures.length <= ROOM_ROWS
      ? figures
      : [...figures].sort((a, b) => (b.latenessMs.p99 ?? -1) - (a.latenessMs.p99 ?? -1)).slice(0, ROOM_ROWS);
  const rows = [ROOM_HEADER, ...shown.map(roomRow)];
  if (shown.length < figures.length) rows.push([`… ${figures.length - shown.length} more rooms`]);
  return rows;
}

function roomRow(room: RoomFigures): string[] {
  const pair = (p: { p50: number | null; p99: number | null }) => `${num(p.p50, 3)} / ${num(p.p99, 3)}`;
  return [
    room.id,
    room.scenario ?? '—',
    `${num(room.players)}/${num(room.maxPlayers)}`,
    room.tickRate === null ? '—' : `${num(room.tickRate)} Hz`,
    num(room.windowTicks),
    pair(room.latenessMs),
    pair(room.tickMs),
  ];
}
