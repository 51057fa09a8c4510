// The scoreboard (held Tab): the roster sorted by kills, then fewest deaths, then name, then id.
// Rebuilt when the roster changes, not per frame.
import { displayName, type Roster } from './roster.js';

export interface ScoreRow {
  id: number;
  name: string;
  kills: number;
  deaths: number;
  self: boolean;
}

export function scoreRows(roster: Roster, selfId: number): ScoreRow[] {
  const rows: ScoreRow[] = [];
  for (const [id, entry] of roster) {
    rows.push({ id, name: displayName(roster, id), kills: entry.kills, deaths: entry.deaths, self: id === selfId });
  }
  return rows.sort(
    (a, b) => b.kills - a.kills || a.deaths - b.deaths || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id),
  );
}

/** The rows as a fixed-width text table for a monospace font; the local player is marked with ">". */
export function scoreboardText(rows: readonly ScoreRow[], nameWidth = 16): string {
  const header = `  ${'player'.padEnd(nameWidth)}  kills  deaths`;
  const lines = rows.map(
    (row) =>
      `${row.self ? '>' : ' '} ${row.name.padEnd(nameWidth)}  ${String(row.kills).padStart(5)}  ${String(row.deaths).padStart(6)}`,
  );
  return [`scoreboard (${rows.length} ${rows.length === 1 ? 'player' : 'players'})`, header, ...lines].join('\n');
}
