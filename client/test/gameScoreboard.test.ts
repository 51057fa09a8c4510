// The scoreboard orders players by kills, then fewest deaths, then name, and marks the local player.
import { describe, expect, it } from 'vitest';
import type { RosterEntry } from '../src/game/model/roster.js';
import { scoreboardText, scoreRows } from '../src/game/model/scoreboard.js';

const roster = new Map<number, RosterEntry>([
  [1, { name: 'carol', kills: 2, deaths: 5 }],
  [2, { name: 'alice', kills: 4, deaths: 1 }],
  [3, { name: 'bob', kills: 2, deaths: 1 }],
  [4, { name: '', kills: 2, deaths: 1 }],
]);

describe('scoreRows', () => {
  it('sorts by kills, then fewest deaths, then name', () => {
    expect(scoreRows(roster, 3).map((row) => row.name)).toEqual(['alice', 'bob', 'player 4', 'carol']);
  });

  it('marks only the local player', () => {
    expect(
      scoreRows(roster, 3)
        .filter((row) => row.self)
        .map((row) => row.id),
    ).toEqual([3]);
  });
});

describe('scoreboardText', () => {
  it('is one header and one aligned line per player, the local one marked with >', () => {
    const lines = scoreboardText(scoreRows(roster, 3), 8).split('\n');
    expect(lines[0]).toBe('scoreboard (4 players)');
    expect(lines[1]).toBe('  player    kills  deaths');
    expect(lines[2]).toBe('  alice         4       1');
    expect(lines[3]).toBe('> bob           2       1');
    expect(lines).toHaveLength(6);
  });
});
